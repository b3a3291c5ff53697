// Progress of a long command (backup, restore, the demo portal's first load) on
// stderr: a bar on a terminal, and plain lines when stderr is a file or a pipe
// (cron, CI, `docker logs`), where a redrawn bar would be noise: one line when a
// step begins and one at each quarter of the work.
import cliProgress from 'cli-progress';
import type { Progress } from '../db/backup.js';

export type { Progress };

export interface ProgressOptions {
  /** What the figures count, for the last plain line ("rows and files"). */
  unit?: string;
}

export function progressOn(stream: NodeJS.WriteStream, verb: string, { unit = 'rows and files' }: ProgressOptions = {}): Progress {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream, format: `${verb} [{bar}] {percentage}% | {value}/{total} | {step}`, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    return {
      start: (total) => bar.start(total, 0, { step: '' }),
      advance: (by, step) => bar.increment(by, { step }),
      stop: () => bar.stop(),
    };
  }
  let done = 0;
  let total = 0;
  let current = '';
  let quarter = 0;
  return {
    start(n) {
      total = n;
    },
    advance(by, step) {
      done += by;
      if (step !== current) {
        current = step;
        stream.write(`${verb}: ${step}\n`);
      }
      const reached = total ? Math.floor((done / total) * 4) : 0;
      if (reached > quarter && reached < 4) stream.write(`${verb}: ${reached * 25}% (${done} of ${total} ${unit})\n`);
      quarter = Math.max(quarter, reached);
    },
    stop() {
      if (total) stream.write(`${verb}: ${done} of ${total} ${unit}\n`);
    },
  };
}
