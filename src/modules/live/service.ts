// The live module's data: which articles are live (live_articles), and their
// entries as an append-only log of versions (live_entries, live_entry_versions).
// Every change of an entry — a new one, an edit, a pin, publishing a draft, a
// deletion — is a new version row; readers see each entry's latest version. A
// version's id is the sequence the event stream counts («changed up to N»): the
// writes of one article lock its live_articles row, so within an article the ids
// commit in order and a range (after, upto] never gains a row once upto is known.
import { sql, type Kysely } from 'kysely';
import type { Block, DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import { bodyText, BlockError, validateBody } from '../content/index.js';
import type { EntryOrder, EntryStatus } from './schema.js';
import './schema.js';

/** Block types an entry may hold (the block editor's). */
export const ENTRY_BLOCK_TYPES = ['paragraph', 'quote', 'image', 'embed', 'list'] as const;
/** An entry's blocks: at most this many, and this much JSON. */
export const MAX_ENTRY_BLOCKS = 30;
export const MAX_ENTRY_BYTES = 32 * 1024;
export const MAX_TITLE = 300;
/** Entries per page of the readers' page. */
export const ENTRIES_PER_PAGE = 30;
/** Versions per answer of a range URL. */
export const RANGE_LIMIT = 100;

export interface LiveInfo {
  articleId: number;
  startsAt: Date;
  endsAt: Date | null;
  order: EntryOrder;
}

export interface EntryVersion {
  /** The version's id: the sequence number of the change. */
  seq: number;
  id: number;
  articleId: number;
  version: number;
  status: EntryStatus;
  title: string;
  blocks: Block[];
  bodyText: string;
  keyEvent: boolean;
  pinned: boolean;
  at: Date;
  authorId: number | null;
  authorName: string;
  createdAt: Date;
  /** When the entry first appeared (its first version). */
  firstAt?: Date;
}

export interface EntryInput {
  title?: string;
  blocks: unknown;
  keyEvent?: boolean;
  at?: Date | null;
  status?: 'draft' | 'published';
}

export interface Writer {
  /** The account (null: the demo, an import). */
  id: number | null;
  displayName: string;
}

export const isLiveNow = (l: LiveInfo, now: Date) => l.startsAt <= now && (!l.endsAt || l.endsAt > now);

/** Checks an entry's blocks: the block editor's types only, not empty, not too big. */
export function validateEntryBlocks(input: unknown): Block[] {
  let size = 0;
  try {
    size = Buffer.byteLength(JSON.stringify(input ?? null));
  } catch {
    throw new DomainError('live.bad_blocks', { reason: '—' }, 400);
  }
  if (size > MAX_ENTRY_BYTES) throw new DomainError('live.too_big', { max: MAX_ENTRY_BYTES / 1024 }, 413);
  const raw = Array.isArray(input) ? { blocks: input } : input;
  let body;
  try {
    body = validateBody(raw);
  } catch (err) {
    if (err instanceof BlockError) throw new DomainError('live.bad_blocks', { reason: err.message.slice(0, 200) }, 400);
    throw err;
  }
  if (!body.blocks.length) throw new DomainError('live.empty', {}, 400);
  if (body.blocks.length > MAX_ENTRY_BLOCKS) throw new DomainError('live.too_many_blocks', { max: MAX_ENTRY_BLOCKS }, 413);
  for (const b of body.blocks) {
    if (!(ENTRY_BLOCK_TYPES as readonly string[]).includes(b.type)) throw new DomainError('live.block_type', { type: b.type.slice(0, 40) }, 400);
  }
  return body.blocks;
}

type VersionRow = {
  id: number;
  entry_id: number;
  article_id: number;
  version: number;
  status: EntryStatus;
  title: string;
  blocks: { blocks: Block[] } | string;
  body_text: string;
  key_event: boolean;
  pinned: boolean;
  at: Date;
  author_id: number | null;
  author_name: string;
  created_at: Date;
};

function toVersion(r: VersionRow): EntryVersion {
  const blocks = typeof r.blocks === 'string' ? (JSON.parse(r.blocks) as { blocks: Block[] }) : r.blocks;
  return {
    seq: r.id,
    id: r.entry_id,
    articleId: r.article_id,
    version: r.version,
    status: r.status,
    title: r.title,
    blocks: blocks.blocks,
    bodyText: r.body_text,
    keyEvent: r.key_event,
    pinned: r.pinned,
    at: new Date(r.at),
    authorId: r.author_id,
    authorName: r.author_name,
    createdAt: new Date(r.created_at),
  };
}

const VERSION_COLUMNS = ['v.id', 'v.entry_id', 'v.article_id', 'v.version', 'v.status', 'v.title', 'v.blocks', 'v.body_text', 'v.key_event', 'v.pinned', 'v.at', 'v.author_id', 'v.author_name', 'v.created_at'] as const;

export function createLive({ db, clock }: { db: Kysely<DB>; clock: Clock }) {
  const toInfo = (r: { article_id: number; starts_at: Date; ends_at: Date | null; entry_order: EntryOrder }): LiveInfo => ({
    articleId: r.article_id,
    startsAt: new Date(r.starts_at),
    endsAt: r.ends_at ? new Date(r.ends_at) : null,
    order: r.entry_order,
  });

  async function info(articleId: number): Promise<LiveInfo | null> {
    const row = await db.selectFrom('live_articles').select(['article_id', 'starts_at', 'ends_at', 'entry_order']).where('article_id', '=', articleId).executeTakeFirst();
    return row ? toInfo(row) : null;
  }

  /** Locks the article's live row for a write of its entries: refuses one that is not live (ended, or never made live). */
  async function lockOpen(trx: Kysely<DB>, articleId: number, { evenEnded = false } = {}): Promise<LiveInfo> {
    const row = await trx.selectFrom('live_articles').select(['article_id', 'starts_at', 'ends_at', 'entry_order']).where('article_id', '=', articleId).forUpdate().executeTakeFirst();
    if (!row) throw new DomainError('live.not_live', {}, 409);
    const l = toInfo(row);
    // New entries only while the coverage runs; fixing the ones there are, also after.
    if (!evenEnded && l.endsAt && l.endsAt <= clock.now()) throw new DomainError('live.ended', {}, 409);
    return l;
  }

  async function latest(trx: Kysely<DB>, articleId: number, entryId: number): Promise<EntryVersion> {
    const row = await trx.selectFrom('live_entry_versions as v').select(VERSION_COLUMNS).where('v.entry_id', '=', entryId).orderBy('v.version', 'desc').limit(1).executeTakeFirst();
    if (!row || row.article_id !== articleId) throw new DomainError('live.entry_not_found', {}, 404);
    return toVersion(row as VersionRow);
  }

  async function append(trx: Kysely<DB>, prev: EntryVersion, change: Partial<Omit<EntryVersion, 'seq' | 'id' | 'articleId' | 'version'>>, by: Writer): Promise<EntryVersion> {
    const next = { ...prev, ...change };
    const row = await trx
      .insertInto('live_entry_versions')
      .values({
        entry_id: prev.id,
        article_id: prev.articleId,
        version: prev.version + 1,
        status: next.status,
        title: next.title,
        blocks: JSON.stringify({ blocks: next.blocks }),
        body_text: next.bodyText,
        key_event: next.keyEvent,
        pinned: next.pinned,
        at: next.at,
        author_id: next.authorId,
        author_name: next.authorName,
        created_by: by.id,
        created_at: clock.now(),
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    return { ...next, seq: row.id, version: prev.version + 1, createdAt: clock.now() };
  }

  function cleanTitle(title: string | undefined): string {
    const t = (title ?? '').replace(/\s+/g, ' ').trim();
    if (t.length > MAX_TITLE) throw new DomainError('live.title_too_long', { max: MAX_TITLE }, 400);
    return t;
  }

  return {
    info,
    isLiveNow,

    /** Articles live now, among `ids` or all (the lists' «Онлайн» mark). */
    async liveNow(ids?: number[]): Promise<Set<number>> {
      if (ids && !ids.length) return new Set();
      const now = clock.now();
      let q = db.selectFrom('live_articles').select('article_id');
      if (ids) q = q.where('article_id', 'in', ids);
      const rows = await q
        .where('starts_at', '<=', now)
        .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]))
        .execute();
      return new Set(rows.map((r) => r.article_id));
    },

    /** Live articles, the ones still open first (the back office's list). */
    async list(limit = 100): Promise<LiveInfo[]> {
      const rows = await db.selectFrom('live_articles').select(['article_id', 'starts_at', 'ends_at', 'entry_order']).orderBy(sql`ends_at is null`, 'desc').orderBy('starts_at', 'desc').limit(limit).execute();
      return rows.map(toInfo);
    },

    /** Makes an article live, or changes its period and order. */
    async configure(articleId: number, s: { startsAt: Date; endsAt: Date | null; order: EntryOrder }): Promise<void> {
      if (s.endsAt && s.endsAt <= s.startsAt) throw new DomainError('live.bad_period', {}, 400);
      const now = clock.now();
      await db
        .insertInto('live_articles')
        .values({ article_id: articleId, starts_at: s.startsAt, ends_at: s.endsAt, entry_order: s.order, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('article_id').doUpdateSet({ starts_at: s.startsAt, ends_at: s.endsAt, entry_order: s.order, updated_at: now }))
        .execute();
    },

    /** The highest version id of an article's entries (0: none yet). */
    async head(articleId: number): Promise<number> {
      const row = await db.selectFrom('live_entry_versions').select((eb) => eb.fn.max('id').as('max')).where('article_id', '=', articleId).executeTakeFirst();
      return Number(row?.max ?? 0);
    },

    /** Heads of several articles at once (the stream's fan-out after a purge). */
    async heads(articleIds: number[]): Promise<Map<number, number>> {
      if (!articleIds.length) return new Map();
      const rows = await db.selectFrom('live_entry_versions').select(['article_id', (eb) => eb.fn.max('id').as('max')]).where('article_id', 'in', articleIds).groupBy('article_id').execute();
      return new Map(rows.map((r) => [r.article_id, Number(r.max ?? 0)]));
    },

    /** Each entry's latest version, every status (the console) — or only the published (readers). */
    async current(articleId: number, opts: { published?: boolean } = {}): Promise<EntryVersion[]> {
      const rows = await sql<VersionRow & { first_at: Date }>`
        select distinct on (v.entry_id) v.id, v.entry_id, v.article_id, v.version, v.status, v.title, v.blocks, v.body_text,
          v.key_event, v.pinned, v.at, v.author_id, v.author_name, v.created_at, e.created_at as first_at
        from live_entry_versions v join live_entries e on e.id = v.entry_id
        where v.article_id = ${articleId}
        order by v.entry_id, v.version desc`.execute(db);
      const all = rows.rows.map((r) => ({ ...toVersion(r), firstAt: new Date(r.first_at) }));
      return opts.published ? all.filter((v) => v.status === 'published') : all;
    },

    /** The versions readers get for (after, upto]: published ones and tombstones, in order; at most RANGE_LIMIT. */
    async range(articleId: number, after: number, upto: number): Promise<EntryVersion[]> {
      const rows = await db
        .selectFrom('live_entry_versions as v')
        .select(VERSION_COLUMNS)
        .where('v.article_id', '=', articleId)
        .where('v.id', '>', after)
        .where('v.id', '<=', upto)
        .where('v.status', 'in', ['published', 'deleted'])
        .orderBy('v.id')
        .limit(RANGE_LIMIT)
        .execute();
      return rows.map((r) => toVersion(r as VersionRow));
    },

    /** An entry's every version, oldest first (the console's log). */
    async history(articleId: number, entryId: number): Promise<EntryVersion[]> {
      const rows = await db.selectFrom('live_entry_versions as v').select(VERSION_COLUMNS).where('v.entry_id', '=', entryId).where('v.article_id', '=', articleId).orderBy('v.version').execute();
      return rows.map((r) => toVersion(r as VersionRow));
    },

    /** The article's whole log, newest first (the console). */
    async log(articleId: number, limit = 200): Promise<EntryVersion[]> {
      const rows = await db.selectFrom('live_entry_versions as v').select(VERSION_COLUMNS).where('v.article_id', '=', articleId).orderBy('v.id', 'desc').limit(limit).execute();
      return rows.map((r) => toVersion(r as VersionRow));
    },

    /** The entry's published latest version, if any (the subject of reactions). */
    async published(entryIds: number[]): Promise<Map<number, EntryVersion>> {
      if (!entryIds.length) return new Map();
      const rows = await sql<VersionRow>`
        select distinct on (v.entry_id) v.id, v.entry_id, v.article_id, v.version, v.status, v.title, v.blocks, v.body_text,
          v.key_event, v.pinned, v.at, v.author_id, v.author_name, v.created_at
        from live_entry_versions v where v.entry_id in (${sql.join(entryIds)})
        order by v.entry_id, v.version desc`.execute(db);
      return new Map(rows.rows.filter((r) => r.status === 'published').map((r) => [r.entry_id, toVersion(r)]));
    },

    async add(articleId: number, input: EntryInput, by: Writer): Promise<EntryVersion> {
      const blocks = validateEntryBlocks(input.blocks);
      const title = cleanTitle(input.title);
      return db.transaction().execute(async (trx) => {
        await lockOpen(trx, articleId);
        const now = clock.now();
        const entry = await trx.insertInto('live_entries').values({ article_id: articleId, created_by: by.id, created_at: now }).returning('id').executeTakeFirstOrThrow();
        const first: EntryVersion = {
          seq: 0,
          id: entry.id,
          articleId,
          version: 0,
          status: input.status ?? 'published',
          title,
          blocks,
          bodyText: bodyText({ blocks }),
          keyEvent: !!input.keyEvent,
          pinned: false,
          at: input.at ?? now,
          authorId: by.id,
          authorName: by.displayName,
          createdAt: now,
        };
        return append(trx, first, {}, by);
      });
    },

    /** An edit: a new version with the new text; its status stays (a draft stays a draft). */
    async edit(articleId: number, entryId: number, input: EntryInput, by: Writer): Promise<EntryVersion> {
      const blocks = validateEntryBlocks(input.blocks);
      const title = cleanTitle(input.title);
      return db.transaction().execute(async (trx) => {
        await lockOpen(trx, articleId, { evenEnded: true });
        const prev = await latest(trx, articleId, entryId);
        if (prev.status === 'deleted') throw new DomainError('live.entry_not_found', {}, 404);
        return append(trx, prev, { title, blocks, bodyText: bodyText({ blocks }), keyEvent: input.keyEvent ?? prev.keyEvent, at: input.at ?? prev.at }, by);
      });
    },

    async publish(articleId: number, entryId: number, by: Writer): Promise<EntryVersion> {
      return db.transaction().execute(async (trx) => {
        await lockOpen(trx, articleId);
        const prev = await latest(trx, articleId, entryId);
        if (prev.status !== 'draft') throw new DomainError('live.not_draft', {}, 409);
        // A draft goes out at the moment it is published, unless it was given a time.
        const at = prev.at.getTime() === prev.createdAt.getTime() || prev.at < prev.createdAt ? clock.now() : prev.at;
        return append(trx, prev, { status: 'published', at }, by);
      });
    },

    /** A deletion: a tombstone version (the log keeps every earlier one). */
    async remove(articleId: number, entryId: number, by: Writer): Promise<EntryVersion> {
      return db.transaction().execute(async (trx) => {
        await lockOpen(trx, articleId, { evenEnded: true });
        const prev = await latest(trx, articleId, entryId);
        if (prev.status === 'deleted') throw new DomainError('live.entry_not_found', {}, 404);
        return append(trx, prev, { status: 'deleted', pinned: false }, by);
      });
    },

    /** Pins a published entry (the one pinned entry shows first), unpinning the one before; `pin: false` unpins. */
    async pin(articleId: number, entryId: number, pin: boolean, by: Writer): Promise<EntryVersion[]> {
      return db.transaction().execute(async (trx) => {
        await lockOpen(trx, articleId, { evenEnded: true });
        const prev = await latest(trx, articleId, entryId);
        if (prev.status !== 'published') throw new DomainError('live.pin_unpublished', {}, 409);
        const written: EntryVersion[] = [];
        if (pin) {
          const others = await sql<{ entry_id: number }>`
            select entry_id from (
              select distinct on (entry_id) entry_id, pinned from live_entry_versions
              where article_id = ${articleId} order by entry_id, version desc) l
            where l.pinned and l.entry_id <> ${entryId}`.execute(trx);
          for (const o of others.rows) written.push(await append(trx, await latest(trx, articleId, o.entry_id), { pinned: false }, by));
        }
        if (prev.pinned !== pin) written.push(await append(trx, prev, { pinned: pin }, by));
        return written;
      });
    },
  };
}

export type Live = ReturnType<typeof createLive>;
