// A process's resident memory as the kernel counts it (/proc/PID/status, Linux):
// RSS now and its peak (VmHWM) since the process started. What an operator sizes a
// machine by; the V8 heap alone misses the WASM database, libvips and malloc.
import fs from 'node:fs';

export interface ResidentMemory {
  /** Bytes resident now. */
  rss: number;
  /** The highest RSS since the process started. */
  peak: number;
}

/** RSS of a process and all its descendants (a first start's `gorod seed` child), in bytes; 0 when gone. */
export function treeResident(pid: number): number {
  const parents = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ')'.
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const visit = (p: number) => {
    try {
      // A zombie (a child that has just exited) has no VmRSS: it holds nothing.
      total += residentMemory(p).rss || 0;
    } catch {
      return;
    }
    for (const [child, parent] of parents) if (parent === p) visit(child);
  };
  visit(pid);
  return total;
}

export function residentMemory(pid: number): ResidentMemory {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}
