// Moderation for every subject kind: the shared phases of the pipeline new text runs
// through, reports (one per reader, subject and reason; enough of them hold the
// subject), bans and suspensions with a scope and an end (escalating for repeat
// offences), trust levels, stop words and settings, and the one moderators' queue
// the owning modules plug their kinds into. The only code that touches its tables.
import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import * as linkify from 'linkifyjs';
import type { DB } from '../../db/schema.js';
import { PREPARED } from '../../db/connection.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import type { Reader } from '../../platform/reader.js';
import type { ReaderRowsOwner } from '../../platform/reader-rows.js';
import { STAFF_ROLES, type SessionUser } from '../../platform/sessions.js';
import type { SubjectKind, Subjects } from '../../platform/subjects.js';
import { moderate, type Phase } from './pipeline.js';
import { loadSettings, saveSettings, type ModerationSettings } from './settings.js';
import { SETTINGS_KEPT_MS, SETTINGS_TAG, type Settings } from '../../platform/settings.js';
import type { Memo } from '../../platform/memo.js';
import { batchWhileBusy } from '../../platform/batch.js';
import { activitiesOf, linksIn, trustLevel, type Activity, type TrustLevel } from './trust.js';
import { REPORT_REASONS, type ReportReason } from './schema.js';
import './schema.js';

export type Scope = { kind: 'section' | 'board'; id: number };
export type Decision = 'approve' | 'reject' | 'delete';

/** Everything a phase may look at: one new text of some kind, and where it goes. */
export interface Draft {
  kind: SubjectKind;
  user: SessionUser | null;
  /** A guest's address as a keyed hash (guests are counted by it). */
  ipHash: string;
  body: string;
  /** The section or board it is posted in (for scoped bans and pre-moderation). */
  scope: Scope | null;
  /** That place holds every new text for a moderator. */
  premoderation: boolean;
  /** When the form was opened (ms since the epoch), if the form says. */
  openedAt?: number | null;
  /** The author's activity, when the caller has just read it (`trust`): the pipeline does not read it again. */
  activity?: Activity;
}

/** A text waiting in (or reported to) the queue, as its owning module shows it. */
export interface QueueItem {
  kind: SubjectKind;
  id: number;
  body: string;
  authorId: number | null;
  authorName: string | null;
  createdAt: Date;
  held: boolean;
  /** Reason codes of the phases that held it. */
  heldReasons: string[];
  /** Where it stands: the article a comment is under, with a link to the comment. */
  context: { title: string; url: string } | null;
  scope: Scope | null;
}

/** What a module that owns a kind of user text gives the queue. */
export interface ModeratedKind {
  kind: SubjectKind;
  /** Its texts waiting for a moderator, oldest first. */
  held(limit: number): Promise<QueueItem[]>;
  heldCount(): Promise<number>;
  /** These texts (reported ones) as the queue shows them; gone ones are absent. */
  items(ids: number[]): Promise<QueueItem[]>;
  /** A moderator's decision; the module publishes, hides or deletes and purges its pages. */
  decide(id: number, decision: Decision): Promise<void>;
  /** Enough readers reported it: hide it until a moderator decides. */
  hold(id: number, reason: string): Promise<void>;
}

/** The escalation ladder of suspensions for repeat offences. */
export const BAN_STEPS_MS = [24 * 3600_000, 72 * 3600_000, 7 * 86400_000, 30 * 86400_000];
const REPEAT_WINDOW_MS = 24 * 3600_000;
/** Shorter texts («Согласен!», «+1») are said again and again honestly. */
const REPEAT_MIN_LENGTH = 20;

export type BanTerm = { kind: 'escalate' } | { kind: 'forever' } | { kind: 'until'; until: Date };
export type Audit = (userId: number | null, action: string, entity: string, entityId: number | null, summary?: string) => Promise<void>;

const normalizeWord = (s: string) => s.toLowerCase().replace(/ё/g, 'е').trim();
const authorKey = (user: SessionUser | null, ipHash: string) => (user ? `u:${user.id}` : `ip:${ipHash}`);
const textHash = (body: string) => crypto.createHash('sha256').update(normalizeWord(body).replace(/\s+/g, ' ')).digest('base64url').slice(0, 22);
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

export function createModeration({
  db,
  settings: store,
  clock,
  subjects,
  timezone,
  audit,
  userExists,
  scopeExists,
  memo,
}: {
  db: Kysely<DB>;
  settings: Settings;
  /** The portal's data cache: the stop words are kept with the settings (saving them purges both). */
  memo?: Memo;
  clock: Clock;
  subjects: Subjects;
  timezone: string;
  audit: Audit;
  userExists: (id: number) => Promise<boolean>;
  scopeExists: (scope: Scope) => Promise<boolean>;
}) {
  const kinds = new Map<SubjectKind, ModeratedKind>();
  // Numbers only, no words: the message around it comes from the reader's locale.
  const endFormat = new Intl.DateTimeFormat('ru', { timeZone: timezone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  const since = (ms: number) => new Date(clock.now().getTime() - ms);
  // The trust level's facts, read for many drafts at once under load (platform/batch.ts).
  const activityOf = batchWhileBusy((userIds: readonly number[]) => activitiesOf(db, userIds));

  // ---------- bans ----------

  // Every ban in force of the accounts asked about at once, in one statement.
  const bansInForce = batchWhileBusy(async (userIds: readonly number[]) => {
    const rows = await db
      .selectFrom('moderation_bans')
      .select(['id', 'user_id', 'reason', 'ends_at', 'scope_kind', 'scope_id'])
      .where(sql<boolean>`user_id = any(${[...new Set(userIds)]}::int[])`)
      .where('lifted_at', 'is', null)
      .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', clock.now())]))
      .execute();
    return userIds.map((id) => rows.filter((r) => r.user_id === id));
  });

  /** The ban in force for this account here (site-wide, or the scope of the place), longest first. */
  async function activeBan(userId: number, scope: Scope | null = null) {
    const here = (await bansInForce(userId)).filter((b) => b.scope_kind === null || (scope !== null && b.scope_kind === scope.kind && b.scope_id === scope.id));
    // The longest first: a ban without an end, then the latest end.
    here.sort((a, b) => (a.ends_at === null ? -1 : b.ends_at === null ? 1 : b.ends_at.getTime() - a.ends_at.getTime()));
    const ban = here[0];
    return ban && { id: ban.id, reason: ban.reason, ends_at: ban.ends_at, scope_kind: ban.scope_kind, scope_id: ban.scope_id };
  }

  function bannedError(ban: { reason: string; ends_at: Date | null }) {
    const details = { reason: ban.reason, until: ban.ends_at?.toISOString() ?? null };
    return ban.ends_at
      ? new DomainError('moderation.banned_until', { until: endFormat.format(ban.ends_at), reason: ban.reason }, 403, details)
      : new DomainError('moderation.banned', { reason: ban.reason }, 403, details);
  }

  // ---------- phases shared by every kind, in the order they run ----------

  const checkBan: Phase<Draft> = async ({ user, scope }) => {
    if (!user) return;
    const ban = await activeBan(user.id, scope);
    if (ban) throw bannedError(ban);
  };

  const stopWords: Phase<Draft> = async ({ body }) => {
    const hit = await findStopWord(body);
    if (hit) return { status: 'held', reason: `stop_word:${hit}` };
  };

  // Per-run facts several phases need, worked out once per draft.
  const facts = new WeakMap<Draft, Promise<{ settings: ModerationSettings; level: TrustLevel; posts: number }>>();
  function factsOf(draft: Draft) {
    let f = facts.get(draft);
    if (!f) {
      f = (async () => {
        const settings = await loadSettings(store);
        if (!draft.user) return { settings, level: 0 as TrustLevel, posts: 0 };
        if (STAFF_ROLES.includes(draft.user.role)) return { settings, level: 3 as TrustLevel, posts: Number.MAX_SAFE_INTEGER };
        const activity = draft.activity ?? (await activityOf(draft.user.id));
        return { settings, level: trustLevel(activity, settings), posts: activity.posts };
      })();
      facts.set(draft, f);
    }
    return f;
  }

  const trustLimits: Phase<Draft> = async (draft) => {
    const { settings, level } = await factsOf(draft);
    const found = linksIn(draft.body, (t) => linkify.find(t));
    if (found.images > 0 && level < settings.imagesFromLevel) throw new DomainError('moderation.no_images', {}, 400, { level });
    const max = settings.linksPerText[level];
    if (found.links > max) throw new DomainError('moderation.too_many_links', { max }, 400, { level, max });
  };

  // Whether each (author, text hash) was written within the window; many drafts in one statement.
  const writtenRecently = batchWhileBusy(async (keys: readonly { author: string; hash: string }[]) => {
    const { rows } = await sql<{ author: string; hash: string }>`${sql.raw(PREPARED)}
      select distinct t.author, t.hash from moderation_recent_texts t
      join unnest(${keys.map((k) => k.author)}::text[], ${keys.map((k) => k.hash)}::text[]) as k(author, hash) on t.author = k.author and t.hash = k.hash
      where t.created_at > ${since(REPEAT_WINDOW_MS)}`.execute(db);
    const found = new Set(rows.map((r) => `${r.author} ${r.hash}`));
    return keys.map((k) => found.has(`${k.author} ${k.hash}`));
  });

  const repeatedText: Phase<Draft> = async ({ user, ipHash, body }) => {
    if ([...body].length < REPEAT_MIN_LENGTH) return;
    if (await writtenRecently({ author: authorKey(user, ipHash), hash: textHash(body) })) return { status: 'held', reason: 'repeated' };
  };

  // A first post sent within seconds of opening the form is a script more often than a person.
  const typedTooFast: Phase<Draft> = async (draft) => {
    const opened = draft.openedAt;
    if (!opened) return;
    const { settings, posts } = await factsOf(draft);
    const took = clock.now().getTime() - opened;
    if (posts === 0 && took >= 0 && took < settings.minTypingMs) return { status: 'held', reason: 'too_fast' };
  };

  const holdFirst: Phase<Draft> = async (draft) => {
    if (!draft.user) return;
    const { settings, posts } = await factsOf(draft);
    if (posts < settings.holdFirst) return { status: 'held', reason: 'first_posts' };
  };

  const premoderation: Phase<Draft> = ({ premoderation, scope }) => (premoderation ? { status: 'held', reason: `premoderation:${scope?.kind ?? 'section'}` } : undefined);

  /**
   * The pipeline for a kind: the ban first, then the kind's own checks (length, its
   * rate), then the shared rules. An edit skips what only a new text is judged by.
   */
  function pipeline(own: Phase<Draft>[], mode: 'new' | 'edit' = 'new'): Phase<Draft>[] {
    return mode === 'new' ? [checkBan, ...own, stopWords, trustLimits, repeatedText, typedTooFast, holdFirst, premoderation] : [checkBan, ...own, stopWords, trustLimits, premoderation];
  }

  const readStopWords = async () => (await db.selectFrom('moderation_stop_words').select('word').execute()).map((r) => r.word);
  // Every text is checked against them; they change when an editor saves the settings.
  const keptStopWords = () => (memo ? memo.get('moderation:stop-words', { ttlMs: SETTINGS_KEPT_MS, tags: [SETTINGS_TAG] }, readStopWords) : readStopWords());

  async function findStopWord(body: string): Promise<string | null> {
    const words = await keptStopWords();
    if (!words.length) return null;
    const text = normalizeWord(body);
    const tokens: string[] = text.match(/[\p{L}\p{N}]+/gu) ?? [];
    for (const w of words) {
      if (w.includes(' ') ? text.includes(w) : w.endsWith('*') ? tokens.some((t) => t.startsWith(w.slice(0, -1))) : tokens.includes(w)) return w;
    }
    return null;
  }

  async function notePost(userId: number) {
    await db
      .insertInto('moderation_activity')
      .values({ user_id: userId, day: dayOf(clock.now()), posts: 1 })
      .onConflict((oc) => oc.columns(['user_id', 'day']).doUpdateSet((eb) => ({ posts: eb('moderation_activity.posts', '+', 1) })))
      .execute();
  }

  // What posted() writes for many texts at once: one statement remembers their hashes
  // and adds the published ones to their authors' posts of the day.
  const notePosted = batchWhileBusy(async (texts: readonly { author: string; hash: string; userId: number | null }[]) => {
    const now = clock.now();
    const posts = new Map<number, number>();
    for (const t of texts) if (t.userId !== null) posts.set(t.userId, (posts.get(t.userId) ?? 0) + 1);
    await sql`${sql.raw(PREPARED)}
      with texts as (
        insert into moderation_recent_texts (author, hash, created_at)
        select author, hash, ${now} from unnest(${texts.map((t) => t.author)}::text[], ${texts.map((t) => t.hash)}::text[]) as t(author, hash)
      )
      insert into moderation_activity (user_id, day, posts)
      select user_id, ${dayOf(now)}::date, n from unnest(${[...posts.keys()]}::int[], ${[...posts.values()]}::int[]) as p(user_id, n)
      on conflict (user_id, day) do update set posts = moderation_activity.posts + excluded.posts`.execute(db);
    return texts.map(() => undefined);
  });

  async function kindOf(kind: string): Promise<ModeratedKind> {
    const k = kinds.get(kind as SubjectKind);
    if (!k) throw new DomainError('moderation.unknown_kind', { kind }, 404);
    return k;
  }

  return {
    pipeline,
    moderate: (phases: readonly Phase<Draft>[], draft: Draft) => moderate(phases, draft),
    activeBan,
    bannedError,

    /** A text was stored: remember it for the repeated-text phase, count the post if it is out. */
    async posted(draft: Pick<Draft, 'user' | 'ipHash' | 'body'>, approved: boolean) {
      await notePosted({ author: authorKey(draft.user, draft.ipHash), hash: textHash(draft.body), userId: approved && draft.user ? draft.user.id : null });
    },

    /** A signed-in reader read something today (days visited and things read feed the trust level). */
    async noteRead(userId: number) {
      await db
        .insertInto('moderation_activity')
        .values({ user_id: userId, day: dayOf(clock.now()), reads: 1 })
        .onConflict((oc) => oc.columns(['user_id', 'day']).doUpdateSet((eb) => ({ reads: eb('moderation_activity.reads', '+', 1) })))
        .execute();
    },

    async trust(userId: number) {
      const [activity, settings] = await Promise.all([activityOf(userId), loadSettings(store)]);
      const level = trustLevel(activity, settings);
      return { level, activity, links: settings.linksPerText[level], images: level >= settings.imagesFromLevel };
    },

    // ---------- the queue ----------

    /** A module plugs its kind of text into the queue (the extension point). */
    addKind(kind: ModeratedKind) {
      if (kinds.has(kind.kind)) throw new Error(`moderated kind added twice: ${kind.kind}`);
      kinds.set(kind.kind, kind);
    },
    kinds: () => [...kinds.keys()],

    /** Held texts and texts with open reports, oldest first; one kind or all. */
    async queue(filter: SubjectKind | null = null, limit = 50) {
      const list = [...kinds.values()].filter((k) => !filter || k.kind === filter);
      if (!list.length) return [];
      const open = await db
        .selectFrom('reports')
        .select(['subject_kind', 'subject_id', 'reason', 'text', 'reader', 'created_at'])
        .where('status', '=', 'open')
        .where(
          'subject_kind',
          'in',
          list.map((k) => k.kind),
        )
        .orderBy('created_at')
        .limit(1000)
        .execute();
      const reportsOf = new Map<string, { reason: ReportReason; text: string }[]>();
      for (const r of open) {
        const key = `${r.subject_kind}:${r.subject_id}`;
        reportsOf.set(key, [...(reportsOf.get(key) ?? []), { reason: r.reason, text: r.text }]);
      }
      const items: (QueueItem & { reports: { reason: ReportReason; text: string }[] })[] = [];
      for (const k of list) {
        const held = await k.held(limit);
        const reported = open.filter((r) => r.subject_kind === k.kind).map((r) => r.subject_id);
        const heldIds = new Set(held.map((h) => h.id));
        const more = await k.items([...new Set(reported)].filter((id) => !heldIds.has(id)));
        for (const item of [...held, ...more]) items.push({ ...item, reports: reportsOf.get(`${k.kind}:${item.id}`) ?? [] });
      }
      return items.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).slice(0, limit);
    },

    /** The badge of the back office: texts waiting and subjects with open reports. */
    async queueCount() {
      let n = 0;
      for (const k of kinds.values()) n += await k.heldCount();
      const row = await db
        .selectFrom('reports')
        .select(sql<string>`count(distinct (subject_kind, subject_id))`.as('n'))
        .where('status', '=', 'open')
        .executeTakeFirstOrThrow();
      return n + Number(row.n);
    },

    /** A moderator's decision from the queue: the owner acts, open reports are closed, it is audited. */
    async decide(kind: string, id: number, decision: Decision, by: SessionUser) {
      const owner = await kindOf(kind);
      const [before] = await owner.items([id]);
      if (!before) throw new DomainError('moderation.subject_not_found', {}, 404);
      await owner.decide(id, decision);
      const now = clock.now();
      await db
        .updateTable('reports')
        .set({ status: decision === 'approve' ? 'dismissed' : 'upheld', decided_at: now })
        .where('subject_kind', '=', kind)
        .where('subject_id', '=', id)
        .where('status', '=', 'open')
        .execute();
      if (decision === 'approve' && before.held && before.authorId) await notePost(before.authorId);
      await audit(by.id, `moderation.${decision}`, kind, id, before.body.slice(0, 120));
      return before;
    },

    // ---------- reports ----------

    /** A reader reports a subject; enough distinct readers hold it for a moderator. */
    async report(input: { kind: string; id: number; reader: Reader; reason: ReportReason; text?: string }) {
      if (!subjects.has(input.kind)) throw new DomainError('moderation.unknown_subject', { kind: input.kind }, 404);
      if (!REPORT_REASONS.includes(input.reason)) throw new DomainError('moderation.bad_reason_code', {}, 400);
      const info = await subjects.reportable({ kind: input.kind, id: input.id }, input.reader.userId);
      if (!info) throw new DomainError('moderation.subject_not_found', {}, 404);
      if (info.authorId !== null && info.authorId === input.reader.userId) throw new DomainError('moderation.own_subject', {}, 400);
      const text = (input.text ?? '').trim().slice(0, 500);
      const added = await db
        .insertInto('reports')
        .values({ subject_kind: input.kind, subject_id: input.id, subject_author_id: info.authorId, reader: input.reader.key, reason: input.reason, text, created_at: clock.now(), decided_at: null })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!added) throw new DomainError('moderation.already_reported', {}, 409);
      const [row, settings] = await Promise.all([
        db
          .selectFrom('reports')
          .select((eb) => eb.fn.count<string>('reader').distinct().as('n'))
          .where('subject_kind', '=', input.kind)
          .where('subject_id', '=', input.id)
          .where('status', '=', 'open')
          .executeTakeFirstOrThrow(),
        loadSettings(store),
      ]);
      const owner = kinds.get(input.kind);
      const held = Number(row.n) >= settings.reportThreshold && !!owner;
      if (held) await owner!.hold(input.id, 'reports');
      return { id: added.id, held };
    },

    // ---------- bans ----------

    /** A ban or suspension; without a term of the moderator's it climbs the ladder (24 h, 72 h, 7 days, 30 days). */
    async ban(input: { userId: number; scope: Scope | null; term: BanTerm; reason: string; by: SessionUser }) {
      const reason = input.reason.trim();
      if (!reason || reason.length > 300) throw new DomainError('moderation.ban_reason', {}, 400);
      const now = clock.now();
      if (input.term.kind === 'until' && !(input.term.until.getTime() > now.getTime())) throw new DomainError('moderation.ban_end_past', {}, 400);
      if (!(await userExists(input.userId))) throw new DomainError('moderation.user_not_found', {}, 404);
      if (input.scope && !(await scopeExists(input.scope))) throw new DomainError('moderation.unknown_scope', {}, 404);
      return db.transaction().execute(async (trx) => {
        // Earlier bans count as offences unless a moderator lifted them (a mistake).
        const prior = await trx
          .selectFrom('moderation_bans')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('user_id', '=', input.userId)
          .where((eb) => eb.or([eb('lifted_at', 'is', null), eb('lifted_at', '>=', eb.ref('ends_at'))]))
          .executeTakeFirstOrThrow();
        const step = input.term.kind === 'escalate' ? Math.min(Number(prior.n) + 1, BAN_STEPS_MS.length) : 0;
        const ends = input.term.kind === 'forever' ? null : input.term.kind === 'until' ? input.term.until : new Date(now.getTime() + BAN_STEPS_MS[step - 1]!);
        const row = await trx
          .insertInto('moderation_bans')
          .values({ user_id: input.userId, scope_kind: input.scope?.kind ?? null, scope_id: input.scope?.id ?? null, reason, ends_at: ends, step, created_by: input.by.id, created_at: now, lifted_at: null })
          .returning(['id', 'ends_at', 'step'])
          .executeTakeFirstOrThrow();
        return row;
      }).then(async (row) => {
        await audit(input.by.id, 'moderation.ban', 'user', input.userId, `${input.scope ? `${input.scope.kind}:${input.scope.id}` : 'site'} ${row.ends_at?.toISOString() ?? '∞'}: ${reason}`);
        return row;
      });
    },

    /** Bans in force, newest first, for the moderators' list. */
    activeBans: () =>
      db
        .selectFrom('moderation_bans')
        .select(['id', 'user_id', 'scope_kind', 'scope_id', 'reason', 'ends_at', 'step', 'created_at'])
        .where('lifted_at', 'is', null)
        .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', clock.now())]))
        .orderBy('created_at', 'desc')
        .limit(200)
        .execute(),

    async liftBan(id: number, by: SessionUser) {
      const row = await db.updateTable('moderation_bans').set({ lifted_at: clock.now() }).where('id', '=', id).where('lifted_at', 'is', null).returning('user_id').executeTakeFirst();
      if (!row) throw new DomainError('moderation.ban_not_found', {}, 404);
      await audit(by.id, 'moderation.unban', 'user', row.user_id, String(id));
    },

    // ---------- settings ----------

    settings: () => loadSettings(store),
    async stopWords(): Promise<string[]> {
      return (await db.selectFrom('moderation_stop_words').select('word').orderBy('word').execute()).map((r) => r.word);
    },
    async saveSettings(input: { stopWords: string[]; settings: ModerationSettings }, by: SessionUser | null) {
      const clean = [...new Set(input.stopWords.map(normalizeWord).filter((w) => w.length > 0 && w.length <= 60))].slice(0, 1000);
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('moderation_stop_words').execute();
        if (clean.length) await trx.insertInto('moderation_stop_words').values(clean.map((word) => ({ word }))).execute();
        await saveSettings(store, trx, input.settings);
      });
      await store.changed();
      if (by) await audit(by.id, 'moderation.settings', 'moderation', null, `${clean.length} / ${JSON.stringify(input.settings)}`);
    },

    /** What moderation keeps about an account, for «export my data». */
    async exportFor(userId: number) {
      const [reports, bans] = await Promise.all([
        db.selectFrom('reports').select(['subject_kind', 'subject_id', 'reason', 'text', 'created_at']).where('reader', '=', `u:${userId}`).orderBy('id').execute(),
        db.selectFrom('moderation_bans').select(['scope_kind', 'scope_id', 'reason', 'ends_at', 'created_at']).where('user_id', '=', userId).orderBy('id').execute(),
      ]);
      return { reports, bans };
    },

    /** How reports and remembered texts follow their reader (platform/reader-rows.ts). */
    readerRows: {
      owner: 'moderation.reports',
      /** An anonymous reader who signs in: their reports become the account's (unless it made the same). */
      async move(trx, from, to) {
        await sql`update reports r set reader = ${to.key} where reader = ${from.key}
          and not exists (select 1 from reports s where s.subject_kind = r.subject_kind and s.subject_id = r.subject_id and s.reason = r.reason and s.reader = ${to.key})`.execute(trx);
        await trx.deleteFrom('reports').where('reader', '=', from.key).execute();
      },
      async forget(trx, account) {
        await trx.deleteFrom('reports').where('reader', '=', account.key).execute();
        await trx.deleteFrom('moderation_recent_texts').where('author', '=', account.key).execute();
      },
    } satisfies ReaderRowsOwner,

    /** The repeated-text memory is for a day; older rows go. */
    async prune() {
      await db.deleteFrom('moderation_recent_texts').where('created_at', '<', since(REPEAT_WINDOW_MS)).execute();
    },
  };
}
export type Moderation = ReturnType<typeof createModeration>;
