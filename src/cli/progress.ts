// Progress of a long command (backup, restore) on stderr: a bar on a terminal, and
// one plain line per step when stderr is a file or a pipe (cron, CI logs), where a
// redrawn bar would be noise.
import cliProgress from 'cli-progress';
import type { Progress } from '../db/backup.js';

export function progressOn(stream: NodeJS.WriteStream, verb: string): Progress {
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
    },
    stop() {
      if (total) stream.write(`${verb}: ${done} of ${total} rows and files\n`);
    },
  };
}
