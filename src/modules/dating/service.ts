// The dating service: profiles (one per account, adults only, special data
// encrypted), the compatible search, likes with exact match detection, blocks,
// reports and the rest of the section's rules. The only code touching the dating
// tables. Photos, verification and the back office's reads are photos.ts and
// admin.ts; both take the same `db`.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import { ADULT, OLDEST, ageOn, birthBounds, dateText, parseBirthDate, today } from './age.js';
import type { FieldCipher } from './crypto.js';
import { GENDERS, INTENTIONS, INTERESTS, REPORT_REASONS, SEEKS, VISIBILITIES, type DatingDailyTable, type DatingReportReason, type Gender, type Intention, type Interest, type ReportedMessage, type Seek, type Visibility } from './schema.js';
import { CONSENT_VERSION } from './settings.js';
import './schema.js';

export const NAME_MAX = 40;
export const ABOUT_MAX = 1000;
export const PAGE_SIZE = 20;

export interface ProfileInput {
  displayName: string;
  gender: string;
  seek: string;
  ageMin: number;
  ageMax: number;
  intention: string;
  district: string;
  about: string;
  interests: string[];
  visibility?: string;
  teaser?: boolean;
}

export interface CreateInput extends ProfileInput {
  birthDate: string;
  consent: boolean;
  consentText: string;
  rules: boolean;
  ipHash: string;
}

/** The owner's own profile, decrypted. */
export interface OwnProfile {
  userId: number;
  displayName: string;
  age: number;
  gender: Gender;
  seek: Seek;
  ageMin: number;
  ageMax: number;
  intention: Intention;
  district: string;
  about: string;
  interests: Interest[];
  visibility: Visibility;
  teaser: boolean;
  held: 'underage' | 'banned' | null;
  verified: boolean;
  photoCount: number;
}

/** Another profile as a reader with a profile sees it: never the birth date. */
export interface Card {
  id: number;
  name: string;
  age: number;
  gender: Gender;
  district: string;
  interests: Interest[];
  intention: Intention;
  about: string;
  verified: boolean;
  online: boolean;
  photoCount: number;
  visibility: Visibility;
}

export interface SearchFilters {
  gender?: Gender;
  ageMin?: number;
  ageMax?: number;
  intention?: Intention;
  district?: string;
  withPhoto?: boolean;
  online?: boolean;
}

/** The viewer's side of the compatibility rule, read once per request. */
interface Me {
  id: number;
  gender: Gender;
  intention: Intention;
  /** The viewer's intention's blind index under every key version (rows mid-rotation have either). */
  intentionKeys: string[];
  age: number;
  age_min: number;
  age_max: number;
  seekGenders: Gender[];
}

const CARD_COLUMNS = sql`c.user_id, c.display_name, c.birth_date::text as birth_date, c.gender, c.district, c.interests, c.intention_enc, c.about_enc, c.verified_at, c.last_seen_at, c.photo_count, c.visibility`;
type CardRow = { user_id: number; display_name: string; birth_date: string; gender: Gender; district: string; interests: string; intention_enc: string; about_enc: string; verified_at: Date | null; last_seen_at: Date; photo_count: number; visibility: Visibility };

/** A figure of the day (`dating_daily`), counted by the event in its own transaction. */
export type DailyFigure = Exclude<keyof DatingDailyTable, 'day'>;

/** At most this many messages go with one report. */
export const REPORT_MESSAGES_MAX = 20;

const oneOf = <T extends string>(list: readonly T[], value: string, code: string): T => {
  if (!(list as readonly string[]).includes(value)) throw new DomainError(code, {}, 400);
  return value as T;
};

export function createDating({ db, clock, cipher, timezone, districts, onlineMinutes }: { db: Kysely<DB>; clock: Clock; cipher: FieldCipher; timezone: string; districts: () => Promise<string[]>; onlineMinutes: () => Promise<number> }) {
  const day = () => today(clock.now(), timezone);

  /** Adds one to today's figure, in the caller's transaction: past days never change afterwards. */
  async function count(trx: Kysely<DB>, figure: DailyFigure) {
    const column = sql.ref(figure);
    await sql`insert into dating_daily (day, ${column}) values (${day()}::date, 1)
      on conflict (day) do update set ${column} = dating_daily.${column} + 1`.execute(trx);
  }

  async function clean(input: ProfileInput) {
    const displayName = input.displayName.trim().replace(/\s+/g, ' ');
    if (displayName.length < 2 || displayName.length > NAME_MAX) throw new DomainError('dating.bad_name', { max: NAME_MAX }, 400);
    const gender = oneOf(GENDERS, input.gender, 'dating.bad_gender');
    const seek = oneOf(SEEKS, input.seek, 'dating.bad_gender');
    const intention = oneOf(INTENTIONS, input.intention, 'dating.bad_intention');
    const ageMin = Math.trunc(input.ageMin);
    const ageMax = Math.trunc(input.ageMax);
    if (!(ageMin >= ADULT && ageMax <= OLDEST && ageMin <= ageMax)) throw new DomainError('dating.bad_age_range', { min: ADULT, max: OLDEST }, 400);
    if (!(await districts()).includes(input.district)) throw new DomainError('dating.bad_district', {}, 400);
    const about = input.about.trim();
    if (about.length > ABOUT_MAX) throw new DomainError('dating.about_too_long', { max: ABOUT_MAX }, 400);
    const interests = [...new Set(input.interests)];
    if (interests.length > 10 || interests.some((i) => !(INTERESTS as readonly string[]).includes(i))) throw new DomainError('dating.bad_interests', {}, 400);
    const visibility = oneOf(VISIBILITIES, input.visibility ?? 'visible', 'dating.bad_visibility');
    return {
      display_name: displayName,
      gender,
      seek_enc: cipher.encrypt(seek),
      seek_key: cipher.blindIndex('seek', seek),
      intention_enc: cipher.encrypt(intention),
      intention_key: cipher.blindIndex('intention', intention),
      about_enc: cipher.encrypt(about),
      key_version: cipher.current,
      age_min: ageMin,
      age_max: ageMax,
      district: input.district,
      interests: interests.join(','),
      visibility,
      teaser: input.teaser ?? false,
    };
  }

  const interestsOf = (text: string) => (text ? (text.split(',') as Interest[]) : []);

  function cardOf(row: CardRow, onlineSince: number): Card {
    return {
      id: row.user_id,
      name: row.display_name,
      age: ageOn(dateText(row.birth_date), day()),
      gender: row.gender,
      district: row.district,
      interests: interestsOf(row.interests),
      intention: cipher.decrypt(row.intention_enc) as Intention,
      about: cipher.decrypt(row.about_enc),
      verified: !!row.verified_at,
      online: new Date(row.last_seen_at).getTime() >= onlineSince,
      photoCount: row.photo_count,
      visibility: row.visibility,
    };
  }

  async function cards(rows: CardRow[]): Promise<Card[]> {
    const since = clock.now().getTime() - (await onlineMinutes()) * 60_000;
    return rows.map((r) => cardOf(r, since));
  }

  /** The viewer's compatibility side; null without a profile, or when theirs is held. */
  async function me(userId: number): Promise<Me | null> {
    const row = await db
      .selectFrom('dating_profiles')
      .select(['user_id', 'gender', 'seek_enc', 'intention_enc', 'age_min', 'age_max', sql<string>`birth_date::text`.as('birth'), 'held'])
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row || row.held) return null;
    const seek = cipher.decrypt(row.seek_enc) as Seek;
    const intention = cipher.decrypt(row.intention_enc) as Intention;
    return { id: row.user_id, gender: row.gender, intention, intentionKeys: cipher.blindIndexes('intention', intention), age: ageOn(dateText(row.birth), day()), age_min: row.age_min, age_max: row.age_max, seekGenders: seek === 'any' ? [...GENDERS] : [seek] };
  }

  /** The conditions under which profile `c` and the viewer fit each other's wishes, both adults, neither blocked. */
  function compatible(m: Me, genders: Gender[] = m.seekGenders, ages: { min: number; max: number } = { min: m.age_min, max: m.age_max }): RawBuilder<boolean> {
    const bounds = birthBounds(day(), Math.max(ADULT, ages.min), Math.min(OLDEST, ages.max));
    return sql<boolean>`c.held is null and c.user_id <> ${m.id}
      and c.intention_key in (${sql.join(m.intentionKeys)})
      and c.gender in (${sql.join(genders)})
      and c.seek_key in (${sql.join([...cipher.blindIndexes('seek', m.gender), ...cipher.blindIndexes('seek', 'any')])})
      and c.birth_date <= ${bounds.latest}::date and c.birth_date > ${bounds.earliestExclusive}::date
      and c.age_min <= ${m.age} and c.age_max >= ${m.age}
      and not exists (select 1 from dating_blocks b where (b.blocker_id = ${m.id} and b.blocked_id = c.user_id) or (b.blocker_id = c.user_id and b.blocked_id = ${m.id}))`;
  }

  /** The pair of two accounts: the lower id first, and which side `me` is. */
  const pairOf = (a: number, b: number) => ({ low: Math.min(a, b), high: Math.max(a, b), mine: a < b ? ('low' as const) : ('high' as const), theirs: a < b ? ('high' as const) : ('low' as const) });

  /** The pair row's condition «I liked or skipped c» (so the stream does not show c again). */
  const decided = (id: number) =>
    sql`exists (select 1 from dating_pairs p where (p.low_id = ${id} and p.high_id = c.user_id and (p.low_like is not null or p.low_skip is not null)) or (p.high_id = ${id} and p.low_id = c.user_id and (p.high_like is not null or p.high_skip is not null)))`;

  async function matchedAt(a: number, b: number): Promise<Date | null> {
    const { low, high } = pairOf(a, b);
    const row = await db.selectFrom('dating_pairs').select('matched_at').where('low_id', '=', low).where('high_id', '=', high).executeTakeFirst();
    return row?.matched_at ?? null;
  }

  async function blockedEither(a: number, b: number): Promise<boolean> {
    const row = await db
      .selectFrom('dating_blocks')
      .select('blocker_id')
      .where((eb) => eb.or([eb.and([eb('blocker_id', '=', a), eb('blocked_id', '=', b)]), eb.and([eb('blocker_id', '=', b), eb('blocked_id', '=', a)])]))
      .executeTakeFirst();
    return !!row;
  }

  /** Profile `target` is one the viewer may like now: visible and mutually compatible. */
  async function likeable(m: Me, target: number): Promise<boolean> {
    const row = await sql<{ n: number }>`select 1 as n from dating_profiles c where c.user_id = ${target} and c.visibility = 'visible' and ${compatible(m)}`.execute(db);
    return row.rows.length > 0;
  }

  const service = {
    /** Whether the account has a dating profile (held ones too: they see why). */
    async exists(userId: number): Promise<boolean> {
      return !!(await db.selectFrom('dating_profiles').select('user_id').where('user_id', '=', userId).executeTakeFirst());
    },
    me,

    async create(userId: number, input: CreateInput): Promise<void> {
      const birth = parseBirthDate(input.birthDate);
      if (!birth) throw new DomainError('dating.bad_birth_date', {}, 400);
      const age = ageOn(birth, day());
      if (birth > day() || age > 120) throw new DomainError('dating.bad_birth_date', {}, 400);
      if (age < ADULT) throw new DomainError('dating.under_age', { min: ADULT }, 400);
      if (!input.consent) throw new DomainError('dating.consent_required', {}, 400);
      if (!input.rules) throw new DomainError('dating.rules_required', {}, 400);
      const values = await clean(input);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const added = await trx
          .insertInto('dating_profiles')
          .values({ user_id: userId, ...values, birth_date: birth, consent_version: CONSENT_VERSION, consent_text: input.consentText, consent_at: now, consent_ip_hash: input.ipHash, rules_at: now, held: null, verified_at: null, last_seen_at: now, created_at: now })
          .onConflict((oc) => oc.column('user_id').doNothing())
          .returning('user_id')
          .executeTakeFirst();
        if (!added) throw new DomainError('dating.profile_exists', {}, 409);
        await count(trx, 'profiles');
      });
    },

    async update(userId: number, input: ProfileInput): Promise<void> {
      const values = await clean(input);
      const row = await db.updateTable('dating_profiles').set(values).where('user_id', '=', userId).returning('user_id').executeTakeFirst();
      if (!row) throw new DomainError('dating.no_profile', {}, 403);
    },

    async setVisibility(userId: number, visibility: string): Promise<void> {
      const v = oneOf(VISIBILITIES, visibility, 'dating.bad_visibility');
      await db.updateTable('dating_profiles').set({ visibility: v }).where('user_id', '=', userId).execute();
    },

    async own(userId: number): Promise<OwnProfile | null> {
      const r = await db.selectFrom('dating_profiles').selectAll().select(sql<string>`birth_date::text`.as('birth')).where('user_id', '=', userId).executeTakeFirst();
      if (!r) return null;
      return {
        userId: r.user_id,
        displayName: r.display_name,
        age: ageOn(dateText(r.birth), day()),
        gender: r.gender,
        seek: cipher.decrypt(r.seek_enc) as Seek,
        ageMin: r.age_min,
        ageMax: r.age_max,
        intention: cipher.decrypt(r.intention_enc) as Intention,
        district: r.district,
        about: cipher.decrypt(r.about_enc),
        interests: interestsOf(r.interests),
        visibility: r.visibility,
        teaser: r.teaser,
        held: r.held,
        verified: !!r.verified_at,
        photoCount: r.photo_count,
      };
    },

    /** Seen now (for «был(а) недавно»); at most once a minute per account is written. */
    async touch(userId: number): Promise<void> {
      const now = clock.now();
      await db.updateTable('dating_profiles').set({ last_seen_at: now }).where('user_id', '=', userId).where('last_seen_at', '<', new Date(now.getTime() - 60_000)).execute();
    },

    /** The compatible search: only profiles that fit the viewer's wishes and whose wishes the viewer fits. */
    async search(m: Me, f: SearchFilters, page = 1, opts: { teaserOnly?: boolean } = {}): Promise<Card[]> {
      if (f.ageMin !== undefined && (f.ageMin < ADULT || f.ageMin > OLDEST)) throw new DomainError('dating.bad_age_range', { min: ADULT, max: OLDEST }, 400);
      if (f.ageMax !== undefined && (f.ageMax < ADULT || f.ageMax > OLDEST)) throw new DomainError('dating.bad_age_range', { min: ADULT, max: OLDEST }, 400);
      const ages = { min: Math.max(m.age_min, f.ageMin ?? ADULT), max: Math.min(m.age_max, f.ageMax ?? OLDEST) };
      const genders = f.gender ? m.seekGenders.filter((g) => g === f.gender) : m.seekGenders;
      // The intention is a hard filter both ways: a search for another one than the viewer's finds nobody.
      if (!genders.length || ages.min > ages.max || (f.intention && f.intention !== m.intention)) return [];
      const since = new Date(clock.now().getTime() - (await onlineMinutes()) * 60_000);
      const rows = await sql<CardRow>`select ${CARD_COLUMNS} from dating_profiles c
        where c.visibility = 'visible' and ${compatible(m, genders, ages)}
        ${f.district ? sql`and c.district = ${f.district}` : sql``}
        ${f.withPhoto || opts.teaserOnly ? sql`and c.photo_count > 0` : sql``}
        ${opts.teaserOnly ? sql`and c.teaser` : sql``}
        ${f.online ? sql`and c.last_seen_at >= ${since}` : sql``}
        order by c.last_seen_at desc, c.user_id desc
        limit ${PAGE_SIZE} offset ${(Math.max(1, page) - 1) * PAGE_SIZE}`.execute(db);
      return cards(rows.rows);
    },

    /** The card stream: compatible profiles the viewer has not liked or skipped yet. */
    async stream(m: Me, limit = 1): Promise<Card[]> {
      const rows = await sql<CardRow>`select ${CARD_COLUMNS} from dating_profiles c
        where c.visibility = 'visible' and ${compatible(m)} and not ${decided(m.id)}
        order by c.photo_count > 0 desc, c.last_seen_at desc, c.user_id desc limit ${limit}`.execute(db);
      return cards(rows.rows);
    },

    /** «Вы понравились»: compatible profiles that liked the viewer, whom the viewer has not answered. */
    async likedMe(m: Me): Promise<Card[]> {
      const rows = await sql<CardRow>`select ${CARD_COLUMNS} from dating_profiles c
        join dating_pairs p on (p.low_id = c.user_id and p.high_id = ${m.id} and p.low_like is not null and p.high_like is null and p.high_skip is null)
                            or (p.high_id = c.user_id and p.low_id = ${m.id} and p.high_like is not null and p.low_like is null and p.low_skip is null)
        where c.visibility = 'visible' and ${compatible(m)}
        order by c.last_seen_at desc limit 100`.execute(db);
      return cards(rows.rows);
    },

    /** The viewer's matches, newest first: hidden and paused ones too (the match stands), never a blocked or held one. */
    async matches(userId: number): Promise<(Card & { matchedAt: Date })[]> {
      const rows = await sql<CardRow & { matched_at: Date }>`select ${CARD_COLUMNS}, p.matched_at from dating_pairs p
        join dating_profiles c on c.user_id = case when p.low_id = ${userId} then p.high_id else p.low_id end
        where (p.low_id = ${userId} or p.high_id = ${userId}) and p.matched_at is not null and c.held is null
          and not exists (select 1 from dating_blocks b where (b.blocker_id = ${userId} and b.blocked_id = c.user_id) or (b.blocker_id = c.user_id and b.blocked_id = ${userId}))
        order by p.matched_at desc limit 200`.execute(db);
      const list = await cards(rows.rows);
      return list.map((card, i) => ({ ...card, matchedAt: new Date(rows.rows[i]!.matched_at) }));
    },

    /** One profile for the viewer: a match (any visibility), or a visible compatible one; else null — a reader never learns more. */
    async view(m: Me, targetId: number): Promise<(Card & { matchedAt: Date | null; likedByMe: boolean; likesMe: boolean }) | null> {
      if (targetId === m.id) return null;
      const at = await matchedAt(m.id, targetId);
      const rows = at
        ? await sql<CardRow>`select ${CARD_COLUMNS} from dating_profiles c where c.user_id = ${targetId} and c.held is null
            and not exists (select 1 from dating_blocks b where (b.blocker_id = ${m.id} and b.blocked_id = c.user_id) or (b.blocker_id = c.user_id and b.blocked_id = ${m.id}))`.execute(db)
        : await sql<CardRow>`select ${CARD_COLUMNS} from dating_profiles c where c.user_id = ${targetId} and c.visibility = 'visible' and ${compatible(m)}`.execute(db);
      const row = rows.rows[0];
      if (!row) return null;
      const { low, high, mine, theirs } = pairOf(m.id, targetId);
      const pair = await db.selectFrom('dating_pairs').selectAll().where('low_id', '=', low).where('high_id', '=', high).executeTakeFirst();
      const [card] = await cards([row]);
      return { ...card!, matchedAt: at, likedByMe: !!pair?.[`${mine}_like`], likesMe: !!pair?.[`${theirs}_like`] };
    },

    /**
     * A like, in at most two statements and no explicit transaction. The first writes
     * the pair's row (`on conflict … do update`, which locks it), only when the target
     * is visible and mutually compatible: of two mutual likes at once, the second
     * waits for the first's commit and sees its like. The second statement sets the
     * match only where it is still unset, so exactly one caller makes it.
     */
    async like(m: Me, targetId: number): Promise<{ matched: boolean; matchedAt: Date | null }> {
      if (targetId === m.id) throw new DomainError('dating.like_self', {}, 400);
      const { low, high, mine } = pairOf(m.id, targetId);
      const now = clock.now();
      const like = sql.ref(`${mine}_like`);
      const skip = sql.ref(`${mine}_skip`);
      const row = (
        await sql<{ low_like: Date | null; high_like: Date | null; matched_at: Date | null }>`insert into dating_pairs as p (low_id, high_id, ${like})
          select ${low}, ${high}, ${now} where exists (select 1 from dating_profiles c where c.user_id = ${targetId} and c.visibility = 'visible' and ${compatible(m)})
          on conflict (low_id, high_id) do update set ${like} = coalesce(p.${like}, excluded.${like}), ${skip} = null
          returning p.low_like, p.high_like, p.matched_at`.execute(db)
      ).rows[0];
      if (!row) throw new DomainError('dating.not_available', {}, 404);
      if (row.matched_at || !row.low_like || !row.high_like) return { matched: false, matchedAt: row.matched_at };
      const made = await db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('dating_pairs')
          .set({ matched_at: now })
          .where('low_id', '=', low)
          .where('high_id', '=', high)
          .where('matched_at', 'is', null)
          .where('low_like', 'is not', null)
          .where('high_like', 'is not', null)
          .returning('matched_at')
          .executeTakeFirst();
        if (row) await count(trx, 'matches');
        return row;
      });
      return made ? { matched: true, matchedAt: now } : { matched: false, matchedAt: row.matched_at };
    },

    async skip(m: Me, targetId: number): Promise<void> {
      if (targetId === m.id) throw new DomainError('dating.like_self', {}, 400);
      if (!(await likeable(m, targetId))) throw new DomainError('dating.not_available', {}, 404);
      const { low, high, mine } = pairOf(m.id, targetId);
      const skip = sql.ref(`${mine}_skip`);
      await sql`insert into dating_pairs as p (low_id, high_id, ${skip}) values (${low}, ${high}, ${clock.now()})
        on conflict (low_id, high_id) do update set ${skip} = excluded.${skip} where p.matched_at is null`.execute(db);
    },

    /** Whether the viewer has a skip to undo (the stream offers «Вернуть» only then). */
    async hasSkip(userId: number): Promise<boolean> {
      const row = await sql`select 1 from dating_pairs where (low_id = ${userId} and low_skip is not null) or (high_id = ${userId} and high_skip is not null) limit 1`.execute(db);
      return row.rows.length > 0;
    },

    /** Undoes the viewer's latest skip; the id of the profile that comes back, or null. */
    async undoSkip(userId: number): Promise<number | null> {
      const last = (
        await sql<{ low_id: number; high_id: number }>`select low_id, high_id from dating_pairs
          where (low_id = ${userId} and low_skip is not null) or (high_id = ${userId} and high_skip is not null)
          order by case when low_id = ${userId} then low_skip else high_skip end desc limit 1`.execute(db)
      ).rows[0];
      if (!last) return null;
      const mine = last.low_id === userId ? 'low_skip' : 'high_skip';
      await db.updateTable('dating_pairs').set({ [mine]: null }).where('low_id', '=', last.low_id).where('high_id', '=', last.high_id).execute();
      return last.low_id === userId ? last.high_id : last.low_id;
    },

    matchedAt,
    blockedEither,

    /** Ends a match: neither appears in the other's stream again (the unmatcher's like becomes a skip). */
    async unmatch(userId: number, otherId: number): Promise<boolean> {
      const { low, high, mine } = pairOf(userId, otherId);
      const row = await db
        .updateTable('dating_pairs')
        .set({ matched_at: null, [`${mine}_like`]: null, [`${mine}_skip`]: clock.now() })
        .where('low_id', '=', low)
        .where('high_id', '=', high)
        .where('matched_at', 'is not', null)
        .returning('low_id')
        .executeTakeFirst();
      return !!row;
    },

    /** Blocks: the other never sees the blocker again in dating; a match between them ends. Whether there was a match. */
    async block(userId: number, otherId: number): Promise<{ wasMatched: boolean }> {
      if (userId === otherId) throw new DomainError('dating.like_self', {}, 400);
      return db.transaction().execute(async (trx) => {
        await trx.insertInto('dating_blocks').values({ blocker_id: userId, blocked_id: otherId, created_at: clock.now() }).onConflict((oc) => oc.doNothing()).execute();
        const { low, high } = pairOf(userId, otherId);
        const row = await trx.updateTable('dating_pairs').set({ matched_at: null, low_like: null, high_like: null }).where('low_id', '=', low).where('high_id', '=', high).returning(sql<boolean>`true`.as('was')).executeTakeFirst();
        return { wasMatched: !!row };
      });
    },

    async unblock(userId: number, otherId: number): Promise<void> {
      await db.deleteFrom('dating_blocks').where('blocker_id', '=', userId).where('blocked_id', '=', otherId).execute();
    },

    async blockedBy(userId: number): Promise<{ id: number; name: string }[]> {
      const rows = await db
        .selectFrom('dating_blocks as b')
        .leftJoin('dating_profiles as c', 'c.user_id', 'b.blocked_id')
        .select(['b.blocked_id', 'c.display_name'])
        .where('b.blocker_id', '=', userId)
        .orderBy('b.created_at', 'desc')
        .execute();
      return rows.map((r) => ({ id: r.blocked_id, name: r.display_name ?? '—' }));
    },

    /** The profile the viewer may report (seen now, or met: a pair row — after an unmatch or a block too): its name, or null. */
    async reportTarget(m: Me, targetId: number): Promise<{ id: number; name: string | null } | null> {
      if (targetId === m.id) return null;
      const { low, high } = pairOf(m.id, targetId);
      const met = await db.selectFrom('dating_pairs').select('low_id').where('low_id', '=', low).where('high_id', '=', high).executeTakeFirst();
      if (!met && !(await service.view(m, targetId))) return null;
      const row = await db.selectFrom('dating_profiles').select('display_name').where('user_id', '=', targetId).executeTakeFirst();
      if (!row) return null;
      // Someone the target blocked may still report what happened, but learns nothing more of the profile, not even its name now.
      const blockedByTarget = await db.selectFrom('dating_blocks').select('blocker_id').where('blocker_id', '=', targetId).where('blocked_id', '=', m.id).executeTakeFirst();
      return { id: targetId, name: blockedByTarget ? null : row.display_name };
    },

    /**
     * A report. Allowed about a profile the reporter can see, or has met (a pair row:
     * a like, a skip, a match — so reporting stays possible after an unmatch or a block).
     * «Underage» hides the profile at once until staff decide.
     */
    async report(m: Me, targetId: number, reason: string, text: string, messages: ReportedMessage[] = []): Promise<{ id: number; held: boolean }> {
      const r = oneOf(REPORT_REASONS, reason, 'dating.bad_reason') as DatingReportReason;
      if (targetId === m.id) throw new DomainError('dating.like_self', {}, 400);
      if (text.length > 1000) throw new DomainError('dating.report_too_long', { max: 1000 }, 400);
      if (messages.length > REPORT_MESSAGES_MAX) throw new DomainError('dating.report_messages_max', { max: REPORT_MESSAGES_MAX }, 400);
      if (messages.some((x) => x.senderId !== targetId)) throw new DomainError('dating.report_messages_foreign', {}, 403);
      if (!(await service.reportTarget(m, targetId))) throw new DomainError('dating.not_available', {}, 404);
      return db.transaction().execute(async (trx) => {
        const added = await trx
          .insertInto('dating_reports')
          .values({ reporter_id: m.id, target_id: targetId, reason: r, text: text.trim(), messages: JSON.stringify(messages), created_at: clock.now(), decided_at: null })
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!added) throw new DomainError('dating.already_reported', {}, 409);
        await count(trx, 'reports');
        if (r === 'underage') await trx.updateTable('dating_profiles').set({ held: 'underage' }).where('user_id', '=', targetId).where('held', 'is', null).execute();
        return { id: added.id, held: r === 'underage' };
      });
    },

    /**
     * Deletes a profile and everything of it in one transaction: photos' rows, pairs
     * (likes, skips, matches), reports about it, verification, the encrypted fields
     * (the row). The ids of the photos' images and of the matched accounts are
     * returned for the caller (the media files; the conversations).
     */
    async remove(userId: number): Promise<{ imageIds: number[]; matchedWith: number[] } | null> {
      return db.transaction().execute(async (trx) => {
        const photos = await trx.selectFrom('dating_photos').select('image_id').where('user_id', '=', userId).execute();
        const verifications = await trx.selectFrom('dating_verifications').select('image_id').where('user_id', '=', userId).execute();
        const pairs = await trx
          .selectFrom('dating_pairs')
          .select(['low_id', 'high_id'])
          .where((eb) => eb.or([eb('low_id', '=', userId), eb('high_id', '=', userId)]))
          .where('matched_at', 'is not', null)
          .execute();
        await trx.deleteFrom('dating_photos').where('user_id', '=', userId).execute();
        await trx.deleteFrom('dating_verifications').where('user_id', '=', userId).execute();
        await trx.deleteFrom('dating_pairs').where((eb) => eb.or([eb('low_id', '=', userId), eb('high_id', '=', userId)])).execute();
        await trx.deleteFrom('dating_reports').where('target_id', '=', userId).execute();
        const gone = await trx.deleteFrom('dating_profiles').where('user_id', '=', userId).returning('user_id').executeTakeFirst();
        if (!gone) return null;
        await count(trx, 'deletions');
        return {
          imageIds: [...photos.map((p) => p.image_id), ...verifications.flatMap((v) => (v.image_id ? [v.image_id] : []))],
          matchedWith: pairs.map((p) => (p.low_id === userId ? p.high_id : p.low_id)),
        };
      });
    },

    /** An account is deleted: its blocks and reports go too (the profile with `remove`). */
    async forgetAccount(userId: number): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('dating_blocks').where((eb) => eb.or([eb('blocker_id', '=', userId), eb('blocked_id', '=', userId)])).execute();
        await trx.deleteFrom('dating_reports').where('reporter_id', '=', userId).execute();
      });
    },
  };
  return service;
}
export type DatingService = ReturnType<typeof createDating>;
