// Feed import for agencies: an Autoload-style XML feed (<Ads><Ad><Id>…) creates,
// updates and closes a storefront's ads by their external ids, with a report of
// what was refused and why. Every ad goes through the same checks as one posted by
// hand (a refused ad is listed with its Russian reason, nothing of it stored).
// Fetching is guarded: http(s) only, no private or local addresses (checked after
// DNS, and redirects are not followed), a time limit and a size limit.
import dns from 'node:dns/promises';
import net from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import type { App } from '../../types.js';
import { DomainError } from '../../platform/errors.js';
import { domainMessage, i18n as i18nOf } from '../../platform/i18n/index.js';
import type { SessionUser } from '../../platform/sessions.js';
import type { AdInput } from './ads.js';
import { differenceHash } from './photo-hash.js';
import type { Classifieds } from './service.js';

export const FEED_MAX_BYTES = 20 * 1024 * 1024;
export const FEED_TIMEOUT_MS = 20_000;
const MAX_ADS = 5000;
const PHOTO_TIMEOUT_MS = 10_000;

/** Whether an address is private, local, link-local or otherwise not the public internet. */
export function privateAddress(ip: string): boolean {
  if (net.isIPv4(ip)) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
  }
  const s = ip.toLowerCase();
  if (s.startsWith('::ffff:')) return privateAddress(s.slice(7));
  return s === '::1' || s === '::' || s.startsWith('fc') || s.startsWith('fd') || s.startsWith('fe80');
}

// Tests serve feeds from 127.0.0.1; a production portal never sets this.
const allowPrivate = () => process.env.ADS_FEED_ALLOW_PRIVATE === '1';

/** Fetches a URL with the guards; the body as bytes, or a DomainError with the reason. */
export async function guardedFetch(url: string, maxBytes: number, timeoutMs: number): Promise<Buffer> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DomainError('feed.bad_url', {}, 400);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new DomainError('feed.bad_url', {}, 400);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host) ? [host] : (await dns.lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
  if (!addresses.length) throw new DomainError('feed.unreachable', {}, 400);
  if (!allowPrivate() && addresses.some(privateAddress)) throw new DomainError('feed.private_address', {}, 400);
  let res: Response;
  try {
    res = await fetch(u, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    throw new DomainError('feed.unreachable', {}, 400);
  }
  if (!res.ok || !res.body) throw new DomainError('feed.unreachable', {}, 400);
  if (Number(res.headers.get('content-length') ?? 0) > maxBytes) throw new DomainError('feed.too_large', {}, 413);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > maxBytes) throw new DomainError('feed.too_large', {}, 413);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

type FeedAd = Record<string, unknown>;
const text = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? String((v as { '#text'?: unknown })['#text'] ?? '') : String(v)).trim();

/** The ads of a feed, or a DomainError when it is not such XML. */
export function parseFeed(xml: string): FeedAd[] {
  if (!xml.trimStart().startsWith('<')) throw new DomainError('feed.not_xml', {}, 400);
  let doc: Record<string, unknown>;
  try {
    doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', processEntities: true, htmlEntities: false, isArray: (name) => name === 'Ad' || name === 'Image' || name === 'Option' }).parse(xml, true) as Record<string, unknown>;
  } catch {
    throw new DomainError('feed.not_xml', {}, 400);
  }
  const ads = (doc.Ads as { Ad?: FeedAd[] } | undefined)?.Ad;
  if (!Array.isArray(ads)) throw new DomainError('feed.not_xml', {}, 400);
  if (ads.length > MAX_ADS) throw new DomainError('feed.too_many', { max: MAX_ADS }, 400);
  return ads;
}

export interface FeedReport {
  created: number;
  updated: number;
  closed: number;
  refused: { id: string; reason: string }[];
}

/**
 * The scheduled pass: each feed not fetched for `everyHours` is imported again as
 * the manager who set it — while they still manage the storefront; otherwise the
 * feed's report says it stopped and why (a manager saves it again to resume).
 * How many were imported.
 */
export async function runDueFeeds(app: App, svc: Classifieds, everyHours: number): Promise<number> {
  const ru = i18nOf('ru', app.config.timezone);
  let ran = 0;
  for (const feed of await svc.feeds.due(new Date(app.clock.now().getTime() - everyHours * 3600_000))) {
    const account = feed.setBy === null ? undefined : await app.accounts.byId(feed.setBy);
    if (!account || !(await app.organisations.can(feed.organisationId, account.id, 'manager'))) {
      await svc.feeds.saveReport(feed.organisationId, { created: 0, updated: 0, closed: 0, refused: [{ id: '—', reason: ru.t('ads.feedStopped') }] });
      continue;
    }
    const user: SessionUser = { id: account.id, email: account.email, displayName: account.display_name, role: account.role };
    // A feed that fails this time has its reason in its report; the others still run.
    await importFeed(app, svc, feed.organisationId, user).catch((err: unknown) => {
      if (!(err instanceof DomainError)) throw err;
    });
    ran++;
  }
  return ran;
}

/** Imports a storefront's feed now, as `user` (a manager of it); the report is stored with the feed. */
export async function importFeed(app: App, svc: Classifieds, organisationId: number, user: SessionUser, body?: string): Promise<FeedReport> {
  const feed = await svc.feeds.get(organisationId);
  if (!feed && body === undefined) throw new DomainError('feed.bad_url', {}, 400);
  const ru = i18nOf('ru', app.config.timezone);
  const report: FeedReport = { created: 0, updated: 0, closed: 0, refused: [] };
  try {
    const xml = body ?? (await guardedFetch(feed!.url, FEED_MAX_BYTES, FEED_TIMEOUT_MS)).toString('utf8');
    const ads = parseFeed(xml);
    const cat = await svc.catalogue();
    const seen = new Set<string>();
    for (const item of ads) {
      const id = text(item.Id).slice(0, 100);
      try {
        if (!id) throw new DomainError('feed.no_id', {}, 400);
        if (seen.has(id)) throw new DomainError('feed.duplicate_id', {}, 400);
        seen.add(id);
        const catName = text(item.Category);
        const category = cat.bySlug.get(catName) ?? [...cat.byId.values()].find((c) => c.title.toLowerCase() === catName.toLowerCase());
        if (!category) throw new DomainError('ad.unknown_category', {}, 400);
        const fields: Record<string, unknown> = {};
        for (const f of category.fields) {
          const key = Object.keys(item).find((k) => k.toLowerCase() === f.code);
          if (!key) continue;
          const v = item[key];
          fields[f.code] = f.type === 'multi' ? ((v as { Option?: unknown[] })?.Option ?? [v]).map(text) : text(v);
        }
        const districtName = text(item.District);
        const named = districtName ? (cat.districtBySlug.get(districtName) ?? cat.districts.find((d) => d.title.toLowerCase() === districtName.toLowerCase())) : undefined;
        const existing = await svc.ads.byExternal(organisationId, id);
        // An archived district only stays on an ad that already has it.
        const district = named && (!named.archived || existing?.district_id === named.id) ? named : undefined;
        const photoUrls = ((item.Images as { Image?: { '@url'?: string }[] } | undefined)?.Image ?? []).map((i) => i['@url'] ?? '').filter(Boolean);
        let photos = existing ? await svc.photosOf(existing.id) : [];
        if (!existing || !photos.length) {
          if (photoUrls.length > category.maxPhotos) throw new DomainError('ad.too_many_photos', { max: category.maxPhotos }, 400);
          photos = [];
          for (const url of photoUrls) {
            const bytes = await guardedFetch(url, app.config.maxUploadBytes, PHOTO_TIMEOUT_MS);
            const image = await app.media.store(bytes, { createdBy: user.id }).catch(() => {
              throw new DomainError('feed.bad_photo', { url: url.slice(0, 200) }, 400);
            });
            await svc.addUpload(image.id, user.id, await differenceHash(bytes));
            photos.push(image.id);
          }
        }
        const price = text(item.Price);
        const input: AdInput = { categoryId: category.id, title: text(item.Title), description: text(item.Description), price: price || null, negotiable: !price, salaryFrom: text(item.SalaryFrom) || null, salaryTo: text(item.SalaryTo) || null, districtId: district?.id ?? null, phone: text(item.ContactPhone) || null, fields, photos };
        const actor = { user, ipHash: 'feed', organisationId };
        if (existing) {
          await svc.ads.update(actor, existing.id, input);
          if (existing.status === 'closed' || existing.status === 'expired') await svc.ads.renew(user, existing.id);
          report.updated++;
        } else {
          const ad = await svc.ads.create(actor, input);
          await svc.ads.setExternalId(ad.id, id);
          report.created++;
        }
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        report.refused.push({ id: id || '—', reason: domainMessage(ru, err) });
      }
    }
    // What the feed no longer lists is closed (not sold).
    for (const ad of await svc.ads.externalOf(organisationId)) {
      if (!seen.has(ad.external_id) && ad.status !== 'closed' && ad.status !== 'blocked') {
        await svc.ads.close(user, ad.id, 'not_sold');
        report.closed++;
      }
    }
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    report.refused.push({ id: '—', reason: domainMessage(ru, err) });
    await svc.feeds.saveReport(organisationId, report);
    throw err;
  }
  await svc.feeds.saveReport(organisationId, report);
  return report;
}
