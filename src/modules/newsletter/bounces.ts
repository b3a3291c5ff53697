// Delivery reports fed back by the mail server: DSNs (RFC 3464, multipart/report;
// report-type=delivery-status) and feedback-loop complaints (ARF, RFC 5965,
// report-type=feedback-report), parsed with mailparser. The original message's
// Message-ID (nl-<queue id>.<send id>@host) names the queue row, so the report is
// counted for its send; without it, the Final-Recipient address names the
// subscriber. A mail to the List-Unsubscribe mailto address (subject
// «unsubscribe <token>») piped to the same endpoint unsubscribes.
//
// Rules, after listmonk: a soft bounce (4.x.x, or Action: delayed) is counted and
// SOFT_BOUNCE_LIMIT of them (over the address's life) suppress; a hard bounce (5.x.x) or a complaint suppresses
// the address at once.
// mailparser (5 MB of heap) loads with the first report, not with every instance.
import type { ParsedMail } from 'mailparser';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { DomainError } from '../../platform/errors.js';
import type { NewsletterService } from './service.js';
import { readUnsubscribeToken, normaliseEmail } from './tokens.js';

export type ReportKind = 'soft_bounce' | 'hard_bounce' | 'complaint' | 'unsubscribe';

export interface ReportResult {
  kind: ReportKind;
  subscriberId: number;
  sendId: number | null;
  suppressed: boolean;
}

/** The fields of a delivery-status or feedback-report part: "Name: value" lines, case-insensitive names. */
function fields(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.replace(/\r\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (m) out.set(m[1]!.toLowerCase(), [...(out.get(m[1]!.toLowerCase()) ?? []), m[2]!.trim()]);
  }
  return out;
}

function partText(mail: ParsedMail, types: string[]): string {
  return mail.attachments
    .filter((a) => types.includes(a.contentType.toLowerCase()))
    .map((a) => a.content.toString('utf8'))
    .join('\n');
}

export function createReports({ db, service, secret }: { db: Kysely<DB>; service: NewsletterService; secret: string }) {
  async function byMessageId(raw: string): Promise<{ subscriberId: number; sendId: number } | null> {
    for (const m of raw.matchAll(/nl-([0-9]{1,15})\.([0-9]{1,10})@/g)) {
      const row = await db.selectFrom('newsletter_queue').select(['subscriber_id', 'send_id']).where('id', '=', Number(m[1])).where('send_id', '=', Number(m[2])).executeTakeFirst();
      if (row) return { subscriberId: row.subscriber_id, sendId: row.send_id };
    }
    return null;
  }

  async function byAddress(values: string[] | undefined): Promise<number | null> {
    for (const v of values ?? []) {
      const email = normaliseEmail(v.replace(/^rfc822;\s*/i, '').replace(/^<|>$/g, ''));
      if (!email) continue;
      const sub = await service.subscriberByEmail(email);
      if (sub) return sub.id;
    }
    return null;
  }

  return {
    async take(raw: Buffer | string): Promise<ReportResult> {
      const text = typeof raw === 'string' ? raw : raw.toString('utf8');
      if (!text.trim()) throw new DomainError('newsletter.report_unrecognised', {}, 422);
      let mail: ParsedMail;
      try {
        const { simpleParser } = await import('mailparser');
        mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
      } catch {
        throw new DomainError('newsletter.report_unrecognised', {}, 422);
      }
      // A mail to the mailto of List-Unsubscribe.
      const subject = /^\s*unsubscribe\s+(\S+)\s*$/i.exec(mail.subject ?? '');
      if (subject) {
        const target = readUnsubscribeToken(secret, subject[1]!);
        if (!target) throw new DomainError('newsletter.bad_token', {}, 403);
        await service.unsubscribe(target.subscriberId, target.listId, 'mailto', null);
        return { kind: 'unsubscribe', subscriberId: target.subscriberId, sendId: null, suppressed: false };
      }
      const ct = mail.headers.get('content-type') as { params?: Record<string, string> } | undefined;
      const contentType = (ct?.params?.['report-type'] ?? '').toLowerCase();
      // mailparser hands the machine-readable part either as an attachment or, as it
      // does with message/delivery-status, inside the text: both are read.
      const feedback = partText(mail, ['message/feedback-report']) || (contentType === 'feedback-report' ? (mail.text ?? '') : '');
      const status = partText(mail, ['message/delivery-status', 'message/global-delivery-status']) || (contentType === 'delivery-status' ? (mail.text ?? '') : '');
      const original = partText(mail, ['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers']);
      let kind: Exclude<ReportKind, 'unsubscribe'>;
      let recipients: string[] | undefined;
      let detail = '';
      if (contentType === 'feedback-report' || feedback) {
        const f = fields(feedback);
        kind = 'complaint';
        recipients = f.get('original-rcpt-to');
        detail = (f.get('feedback-type') ?? ['abuse'])[0]!;
      } else if (contentType === 'delivery-status' || status) {
        const f = fields(status);
        const action = (f.get('action') ?? []).map((a) => a.toLowerCase());
        const codes = f.get('status') ?? [];
        const hard = codes.some((c) => c.startsWith('5')) || (action.includes('failed') && !codes.some((c) => c.startsWith('4')));
        if (!hard && !codes.some((c) => c.startsWith('4')) && !action.includes('delayed') && !action.includes('failed')) throw new DomainError('newsletter.report_unrecognised', {}, 422);
        kind = hard ? 'hard_bounce' : 'soft_bounce';
        recipients = [...(f.get('final-recipient') ?? []), ...(f.get('original-recipient') ?? [])];
        detail = [codes[0], (f.get('diagnostic-code') ?? [])[0]].filter(Boolean).join(' ');
      } else {
        throw new DomainError('newsletter.report_unrecognised', {}, 422);
      }
      const found = (await byMessageId(original || text)) ?? null;
      const subscriberId = found?.subscriberId ?? (await byAddress(recipients));
      if (!subscriberId) throw new DomainError('newsletter.report_no_recipient', {}, 422);
      const sendId = found?.sendId ?? null;
      await service.recordEvent({ subscriberId, sendId, kind, detail });
      let suppressed = false;
      if (kind === 'soft_bounce') {
        const sub = await service.subscriber(subscriberId);
        await service.softBounce(subscriberId);
        suppressed = !sub?.suppressedAt && !!(await service.subscriber(subscriberId))?.suppressedAt;
      } else {
        await service.suppress(subscriberId, kind, kind === 'complaint' ? 'complaint' : 'bounce');
        suppressed = true;
      }
      return { kind, subscriberId, sendId, suppressed };
    },
  };
}
export type Reports = ReturnType<typeof createReports>;
