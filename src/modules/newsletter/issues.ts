// What a send holds and when it is made: the digest of a list (the window's
// editors' picks and most read among the new articles of its sections), a breaking
// article, and the schedule that makes each digest once per day or week. The
// articles come from the content and audience modules' services; this module never
// reads their tables.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import type { I18n } from '../../platform/i18n/index.js';
import type { Content, ArticleCard } from '../content/index.js';
import type { Audience } from '../audience/index.js';
import { renderBreaking, renderDigest, type RenderedMail, type Site } from './mail-template.js';
import type { NewsletterList } from './service.js';

export interface IssueDeps {
  db: Kysely<DB>;
  clock: Clock;
  content: Content;
  audience: Audience;
  timezone: string;
  i18n: () => I18n;
  site: () => Site;
}

export interface Issue {
  /** Articles published in the window, in the list's sections. */
  fresh: number;
  /** Fewer than the list's minimum: nothing is sent. */
  skip: boolean;
  cards: ArticleCard[];
  mail: RenderedMail | null;
}

/** The site's local date, time and weekday (1 = Monday) of a moment. */
export function localMoment(d: Date, timezone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' }).formatToParts(d).map((p) => [p.type, p.value]),
  );
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!) + 1;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}`, weekday };
}

/** ISO week key, e.g. 2026-W49, of a local date. */
function isoWeek(date: string): string {
  const d = new Date(date + 'T00:00:00Z');
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3);
  const firstThursday = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round(((d.getTime() - firstThursday.getTime()) / 86400_000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** How late a scheduled digest may still go out (a portal that was down at 07:00 sends at 09:00, not at 23:00). */
const LATE_LIMIT_MINUTES = 6 * 60;

export function createIssues(deps: IssueDeps) {
  const { db, clock, content, audience } = deps;

  async function sectionIdsOf(list: NewsletterList): Promise<number[] | undefined> {
    if (!list.sectionIds.length) return undefined;
    const tree = await content.sections();
    return [...new Set(list.sectionIds.flatMap((id) => (tree.get(id) ? tree.subtreeIds(id) : [])))];
  }

  /** The digest of a list as it would go out now. */
  async function digest(list: NewsletterList, now = clock.now()): Promise<Issue> {
    const hours = list.kind === 'weekly' ? 7 * 24 : 24;
    const from = new Date(now.getTime() - hours * 3600_000);
    const sections = await sectionIdsOf(list);
    let fresh = sections && !sections.length ? [] : await content.publishedSince(from, 500, sections);
    const newCount = fresh.length;
    // 0 as the minimum: the issue always goes out, with the latest articles when none is new.
    if (!fresh.length && list.minNewItems === 0) fresh = await content.latestIds({ sectionIds: sections, limit: list.maxItems });
    const freshSet = new Set(fresh);
    if (!fresh.length || newCount < list.minNewItems) return { fresh: newCount, skip: true, cards: [], mail: null };
    // The editors' picks: the home page's lead and the chosen sections' slots.
    const slots = await content.homeSlots();
    const slotNames = [...slots.keys()].filter((s) => s === 'lead' || !sections || (s.startsWith('section:') && sections.includes(Number(s.slice(8)))));
    const picks = slotNames.flatMap((s) => slots.get(s) ?? []).filter((id) => freshSet.has(id));
    const mostRead = (await audience.topViewedBetween(from, now, list.maxItems * 3, fresh)).map((v) => v.id);
    const ids = [...new Set([...picks, ...mostRead, ...fresh])].slice(0, list.maxItems);
    const cards = await content.readerCards(ids);
    return { fresh: newCount, skip: false, cards, mail: renderDigest({ listName: list.name, cards, i18n: deps.i18n(), site: deps.site(), now }) };
  }

  /** Creates a send and queues every confirmed, unsuppressed subscriber of its list in one statement. */
  async function createSend(list: NewsletterList, issueKey: string, kind: 'digest' | 'breaking', mail: RenderedMail | null, articleIds: number[], createdBy: number | null): Promise<{ id: number; recipients: number } | null> {
    return db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('newsletter_sends')
        .values({ list_id: list.id, issue_key: issueKey, kind, status: mail ? 'queued' : 'skipped', subject: mail?.subject ?? '', html: mail?.html ?? '', text: mail?.text ?? '', article_ids: JSON.stringify(articleIds), created_by: createdBy, created_at: clock.now(), finished_at: mail ? null : clock.now() })
        .onConflict((oc) => oc.columns(['list_id', 'issue_key']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) return null;
      if (!mail) return { id: row.id, recipients: 0 };
      // The suppression check before anything is queued.
      const r = await trx
        .insertInto('newsletter_queue')
        .columns(['send_id', 'subscriber_id'])
        .expression((eb) =>
          eb
            .selectFrom('newsletter_subscriptions as s')
            .innerJoin('newsletter_subscribers as u', 'u.id', 's.subscriber_id')
            .select([eb.val(row.id).as('send_id'), 's.subscriber_id'])
            .where('s.list_id', '=', list.id)
            .where('s.status', '=', 'confirmed')
            .where('u.suppressed_at', 'is', null)
            .orderBy('s.subscriber_id'),
        )
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      const recipients = Number(r.numInsertedOrUpdatedRows ?? 0);
      await trx.updateTable('newsletter_sends').set({ recipients }).where('id', '=', row.id).execute();
      return { id: row.id, recipients };
    });
  }

  function issueKey(list: NewsletterList, now: Date): string {
    const local = localMoment(now, deps.timezone);
    return list.kind === 'weekly' ? `weekly:${isoWeek(local.date)}` : `daily:${local.date}`;
  }

  return {
    digest,
    issueKey,

    /** The digest now, made and queued (the schedule, and «send now» in the back office). Null: this issue exists already. */
    async sendDigest(list: NewsletterList, createdBy: number | null, now = clock.now()): Promise<{ id: number; recipients: number; skipped: boolean } | null> {
      if (list.kind === 'breaking') throw new DomainError('newsletter.not_a_digest', {}, 400);
      const issue = await digest(list, now);
      const send = await createSend(list, issueKey(list, now), 'digest', issue.mail, issue.cards.map((c) => c.id), createdBy);
      return send && { ...send, skipped: issue.skip };
    },

    /** An editor sends a published article to a breaking list; once per article and list. */
    async sendBreaking(list: NewsletterList, articleId: number, createdBy: number | null) {
      if (list.kind !== 'breaking') throw new DomainError('newsletter.not_breaking', {}, 400);
      const [card] = await content.readerCards([articleId]);
      if (!card || !(await content.readerFacts([articleId])).some((f) => f.status === 'published')) throw new DomainError('newsletter.article_not_published', {}, 400);
      const mail = renderBreaking({ listName: list.name, card, i18n: deps.i18n(), site: deps.site() });
      const send = await createSend(list, `breaking:${articleId}`, 'breaking', mail, [articleId], createdBy);
      if (!send) throw new DomainError('newsletter.already_sent', {}, 409);
      return send;
    },

    /** The schedule's pass: every active daily or weekly list whose time has come and whose issue is not made yet. */
    async due(lists: NewsletterList[], now = clock.now()): Promise<number> {
      const local = localMoment(now, deps.timezone);
      const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
      let made = 0;
      for (const list of lists) {
        if (!list.active || list.kind === 'breaking') continue;
        if (list.kind === 'weekly' && list.weekday !== local.weekday) continue;
        const late = minutes(local.time) - minutes(list.sendTime);
        if (late < 0 || late > LATE_LIMIT_MINUTES) continue;
        const exists = await db.selectFrom('newsletter_sends').select('id').where('list_id', '=', list.id).where('issue_key', '=', issueKey(list, now)).executeTakeFirst();
        if (exists) continue;
        if (await this.sendDigest(list, null, now)) made++;
      }
      return made;
    },
  };
}
export type Issues = ReturnType<typeof createIssues>;
