// A process's CPU priority, lowered for work that must not slow the pages: the
// worker itself (cli/worker.ts) and, in the newsletter bench, the SMTP sink and the
// sender's database sessions that stand for machines of their own.
import { spawnSync } from 'node:child_process';
import os from 'node:os';

/**
 * Lowers a process's CPU priority (this one unless `pid` names another): the nice
 * value, and on Linux the idle scheduling class (SCHED_IDLE, set with util-linux's
 * `chrt` for every thread). The class is what keeps a page's wait short: Linux's
 * scheduler (EEVDF) lets a merely niced task finish its time slice before a woken
 * instance runs — milliseconds added to a page's p99 during a send — while a task of
 * the idle class is preempted at once. `nice` 0 leaves the process as it is. A
 * failure (no `chrt`, a container without the right) is logged, not fatal.
 */
export function lowerPriority(nice: number, log: (message: string) => void, pid = process.pid): void {
  if (nice <= 0) return;
  try {
    if (os.getPriority(pid) < nice) os.setPriority(pid, nice);
  } catch (err) {
    log(`worker: could not lower the CPU priority of ${pid} to ${nice}: ${(err as Error).message}`);
  }
  if (process.platform !== 'linux') return;
  const chrt = spawnSync('chrt', ['--all-tasks', '--idle', '--pid', '0', String(pid)], { encoding: 'utf8' });
  if (chrt.status !== 0) log(`worker: could not set the idle scheduling class of ${pid}: ${(chrt.error?.message ?? chrt.stderr).trim()}`);
}
