// Content: sections, authors, tags, stories and articles. The only code that reads
// or writes these tables; pages, feeds and other modules ask it (through index.ts).
// Put together from three sides, each in its own file: the read side
// (articles-read.ts), the one write path for articles (articles-write.ts) and the
// structure they hang on (structure.ts).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { Events } from '../../platform/events.js';
import type { Extensions } from '../../platform/extensions.js';
import type { Memo } from '../../platform/memo.js';
import type { Media } from '../media/index.js';
import { createArticleReads } from './articles-read.js';
import { createArticleWrites } from './articles-write.js';
import { createStructure } from './structure.js';

export interface ContentDeps {
  db: Kysely<DB>;
  media: Media;
  clock: Clock;
  timezone: string;
  memo?: Memo;
  events: Events;
  /** Purges cached pages by tag and, under them, the data cache, on every instance. */
  purge: (tags: string[]) => Promise<void>;
  extensions?: Extensions;
}

export function createContent({ db, media, clock, timezone, memo, events, purge, extensions }: ContentDeps) {
  const structure = createStructure({ db, media, purge });
  const reads = createArticleReads({ db, media, clock, timezone, memo, sections: structure.sections, extensions });
  const writes = createArticleWrites({ db, clock, media, sections: structure.sections, articleCacheTags: reads.articleCacheTags, purge, events });
  return { ...structure, ...reads, ...writes };
}
export type Content = ReturnType<typeof createContent>;
