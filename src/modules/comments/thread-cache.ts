// Thread pages in the data cache (app.memo). A page of a thread is the same for
// every reader, and on a busy article every island, sort and «Показать ещё» asked
// the database for it again — on PGlite's one connection, queued behind everything
// else. Each page (subject, sort, page number) is kept under two kinds of tags:
//
// - the subject's own (`article:42`): whatever purges its page purges its thread —
//   a new or approved comment, an edit, a deletion, a moderator's decision, the
//   article taken down. At once, on every instance (purges go through Redis);
// - the thread's (`comments:article:42`): votes purge only this one, and at most
//   once per VOTE_PURGE_INTERVAL_MS per subject and instance (below), so a hot
//   thread is not reloaded on every click.
//
// What purges nothing — a reader's new name or avatar, a deleted account, votes
// moved to an account at sign-in — shows within THREAD_TTL_MS.
import type { Clock } from '../../platform/clock.js';
import type { Memo } from '../../platform/memo.js';
import type { SubjectInfo, SubjectRef } from '../../platform/subjects.js';
import type { Sort, Thread } from './service.js';

/** How stale vote counts in a thread may be: the first vote shows at once, later ones within this. */
export const VOTE_PURGE_INTERVAL_MS = 5_000;
/** The bound for changes that purge nothing. */
export const THREAD_TTL_MS = 60_000;

export const threadTag = (subject: SubjectRef) => `comments:${subject.kind}:${subject.id}`;

/**
 * A vote purge window per subject: opened by a purge, it gathers the votes that
 * follow and purges once more at its end if there were any. Its end is kept on the
 * app's clock too, so the first read after it purges even before the timer fires
 * (a busy event loop runs timers late; tests move the clock instead of waiting).
 */
interface VoteWindow {
  endsAt: number;
  voted: boolean;
  timer: NodeJS.Timeout;
}

export function createThreadCache({ memo, clock, purge, load }: { memo: Memo; clock: Clock; purge: (tags: string[]) => Promise<void>; load: (subject: SubjectRef, sort: Sort, page: number) => Promise<Thread> }) {
  const windows = new Map<string, VoteWindow>();

  function openWindow(tag: string) {
    const timer = setTimeout(() => void closeWindow(tag), VOTE_PURGE_INTERVAL_MS);
    timer.unref();
    windows.set(tag, { endsAt: clock.now().getTime() + VOTE_PURGE_INTERVAL_MS, voted: false, timer });
    return purge([tag]);
  }

  // Votes came during the window: purge them, and keep gathering for another window.
  async function closeWindow(tag: string) {
    const window = windows.get(tag);
    if (!window) return;
    clearTimeout(window.timer);
    windows.delete(tag);
    if (window.voted) await openWindow(tag);
  }

  return {
    /** A page of the subject's thread, from the data cache; `subject` as the registry describes it (its tags). */
    async page(subject: SubjectInfo, sort: Sort, page: number): Promise<Thread> {
      const tag = threadTag(subject);
      const window = windows.get(tag);
      if (window?.voted && clock.now().getTime() >= window.endsAt) await closeWindow(tag);
      return memo.get(`comments:thread:${subject.kind}:${subject.id}:${sort}:${page}`, { ttlMs: THREAD_TTL_MS, tags: [...subject.tags, tag] }, () => load(subject, sort, page));
    },

    /** A vote changed a count in this subject's thread. */
    async voted(subject: SubjectRef): Promise<void> {
      const tag = threadTag(subject);
      const window = windows.get(tag);
      if (window && clock.now().getTime() < window.endsAt) {
        window.voted = true;
        return;
      }
      // No window, or one whose end has come by the clock while its timer waits: the
      // purge that opens the next one takes every vote so far.
      if (window) clearTimeout(window.timer);
      await openWindow(tag);
    },

    close() {
      for (const window of windows.values()) clearTimeout(window.timer);
      windows.clear();
    },
  };
}
export type ThreadCache = ReturnType<typeof createThreadCache>;
