// One import of a WordPress export, in two passes over the file:
//
// 1. The scan reads the whole file (streamed) before anything is written: a file
//    that is not XML, is cut short, is of an unknown version or declares entities is
//    refused whole, never half-imported. It keeps what posts refer to — authors,
//    categories, tags, attachments — and counts the posts for the progress bar.
// 2. Structure first (authors, sections, tags, media, each through its module),
//    then the posts in file order: each post is one transaction through content's
//    import write path, with its tags, its comments (through the comments module,
//    never mailing anyone), its key here, its old addresses and the run's position.
//
// Everything is keyed on the site and WordPress's ids (wp_import_items) with a
// fingerprint of what the post was: a second run of the same file finds every
// fingerprint unchanged and writes nothing; a newer export updates what changed and
// adds what is new; `--resume` skips the posts an interrupted run already did.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Transaction } from 'kysely';
import type { ArticleStatus, Block, DB } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { Content, NewArticle } from '../content/index.js';
import { slugify } from '../content/index.js';
import type { Comments } from '../comments/index.js';
import type { Accounts } from '../accounts/index.js';
import { randomToken } from '../../platform/secrets.js';
import type { ImageRef, Media } from '../media/index.js';
import { largestJpeg } from '../media/index.js';
import { htmlToBlocks, plainText } from './html-to-blocks.js';
import { fetchRemote, FetchError, mediaKey, readLocal, type FetchLimits } from './media-fetcher.js';
import { authorNicename, lastSegment, oldPathKey, slugKey, withLastSegment } from './permalinks.js';
import type { ImportStore, KnownItem, RedirectRow } from './service.js';
import { metaValue, readWxr, WxrError, type WxrAuthor, type WxrChannel, type WxrComment, type WxrItem, type WxrTerm } from './wxr-reader.js';

/** `--map sections.json`: a category's slug (as in the export, or decoded) → a portal section's slug; `@pages` names the section for pages, `@default` the one for posts without a category. */
export type SectionMap = Record<string, string>;

export interface ImportOptions {
  file: string;
  dryRun?: boolean;
  map?: SectionMap;
  /** A copy of wp-content/uploads: attachments are read from it instead of fetched. */
  uploadsDir?: string;
  /** Fetch attachments over HTTP when they are not in `uploadsDir` (default: only without `uploadsDir`). */
  fetch?: boolean;
  limits?: FetchLimits;
  resume?: boolean;
  /**
   * Portal accounts for the export's authors too: an author with an e-mail gets an
   * account with the role «author» (or keeps the one the address already has, its
   * role unchanged), linked to the author's profile; comments a WordPress user wrote
   * signed in become that account's. A new account has no password anyone knows: its
   * owner sets one through «Забыли пароль?».
   */
  accounts?: boolean;
  /** A run made beforehand (the back office's queued job). */
  runId?: number;
  userId?: number | null;
  /** The name of a comment's author that WordPress left empty. */
  anonymousName: string;
  progress?: (p: Progress) => void;
  signal?: AbortSignal;
}

export interface Progress {
  phase: 'scan' | 'structure' | 'media' | 'posts' | 'finish';
  done: number;
  total: number;
}

export interface ReportLine {
  /** 'post 10', 'comment 101', 'attachment 20', 'category zhkh', 'file'. */
  item: string;
  title?: string;
  /** An i18n key under `wpImport.line.` */
  code: string;
  detail?: string;
}

export interface ImportReport {
  runId: number | null;
  dryRun: boolean;
  site: string;
  version: string;
  created: Record<string, number>;
  updated: Record<string, number>;
  unchanged: Record<string, number>;
  skipped: Record<string, number>;
  refused: Record<string, number>;
  lines: ReportLine[];
  linesLeftOut: number;
  /** Old address (as in the file, or its path key) → what answers it. */
  redirects: { old: string; target: string }[];
  redirectsLeftOut: number;
  sticky: number[];
  resumedFrom: number;
  ms: number;
}

export interface RunnerDeps {
  content: Content;
  comments: Comments;
  media: Media;
  store: ImportStore;
  clock: Clock;
  /** For `accounts`: the portal's accounts. */
  accounts?: Pick<Accounts, 'idsByEmail' | 'createUser'>;
  /**
   * How many posts are written at once, and how many pictures made. On PostgreSQL a
   * post's transaction mostly waits for the server and a picture for libvips's
   * thread: several in flight keep both cores busy (docs/benchmarks.md, «WordPress
   * import»). On PGlite the database is this thread: one post at a time.
   */
  postsAtOnce?: number;
  picturesAtOnce?: number;
  /**
   * How many posts go in one transaction, their rows in one statement per table
   * (default 1). On PGlite every statement costs the one thread its fixed part
   * whatever its rows (docs/benchmarks.md), so there posts are written in batches.
   */
  postsPerBatch?: number;
  /**
   * Gathers the planner's statistics (`analyze`), given on PGlite: it has no
   * autovacuum, and a plan made while a table was empty stays with the session — the
   * foreign-key checks' plans, cached from the first rows, scanned whole tables, and
   * each post cost more than the one before (docs/benchmarks.md). Run as the posts
   * double (after 200, 400, 800, …), as autovacuum would on a server.
   */
  analyze?: () => Promise<void>;
}

const MAX_LINES = 5000;
/** A picture as the run keeps it: its id and its largest JPEG's address. */
type Picture = { id: number; jpeg: string };
/** A comment written in this run (one object for all of them: 100,000 in a large export). */
const WRITTEN: KnownItem = Object.freeze({ targetId: null, fingerprint: '', failed: '' });
/** Posts written between two announcements to search (`content.changedTogether`). */
const INDEX_EVERY = 200;
/** Posts written before the first `analyze`; the next when as many again are written. */
const ANALYZE_FIRST = 200;

/**
 * A post's transaction once more when PostgreSQL broke a deadlock by failing it: two
 * posts written side by side may name the same old address or comment in another
 * order. Rolled back, so nothing of the first attempt remains.
 */
async function onceMore<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if ((err as { code?: string }).code !== '40P01') throw err;
    return write();
  }
}
/** The scan keeps no bodies: only what posts refer to. */
const SCAN_SKIPS: ReadonlySet<string> = new Set(['content:encoded', 'excerpt:encoded', 'description', 'wp:comment_content']);
const MAX_REPORT_REDIRECTS = 200_000;
/** The attachments' old addresses are written when this many are waiting. */
const REDIRECTS_AT_ONCE = 5000;
const DEFAULT_LIMITS: FetchLimits = { maxBytes: 20 * 1024 * 1024, timeoutMs: 30_000, maxRedirects: 3 };

export class ImportRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** `2024-05-12 04:30:00` (GMT) → a Date; null for WordPress's zero date or anything invalid. */
export function wpDate(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m || m[1] === '0000') return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return date;
}

function itemDate(item: WxrItem): Date | null {
  const gmt = wpDate(item.dateGmt);
  if (gmt) return gmt;
  // Drafts have no GMT date; their local date is the best there is.
  const local = wpDate(item.date);
  if (local) return local;
  if (item.pubDate && !/-0001/.test(item.pubDate)) {
    const d = new Date(item.pubDate);
    if (!Number.isNaN(d.getTime()) && d.getUTCFullYear() > 1970) return d;
  }
  return null;
}

const STATUS: Record<string, ArticleStatus | undefined> = { publish: 'published', future: 'scheduled', draft: 'draft', pending: 'draft', private: 'draft' };

function commentState(c: WxrComment): 'approved' | 'held' | 'rejected' | null {
  const a = c.approved.trim().toLowerCase();
  if (a === '1' || a === 'approve' || a === 'approved') return 'approved';
  if (a === '0' || a === 'hold' || a === '') return 'held';
  if (a === 'spam') return 'rejected';
  return null; // trash, post-trashed
}

const sha = (value: unknown) => crypto.createHash('sha1').update(JSON.stringify(value)).digest('base64url');

function yoast(template: string, title: string): string {
  return template
    .replace(/%%title%%/g, title)
    .replace(/%%[a-z_]+%%/gi, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*[-|–—]\s*$/, '')
    .trim();
}

export async function runImport(deps: RunnerDeps, opts: ImportOptions): Promise<ImportReport> {
  const { content, comments, media, store, clock } = deps;
  const started = Date.now();
  const dry = opts.dryRun === true;
  const map: SectionMap = Object.fromEntries(Object.entries(opts.map ?? {}).map(([k, v]) => [k.startsWith('@') ? k : slugKey(k), v]));
  const report: ImportReport = { runId: opts.runId ?? null, dryRun: dry, site: '', version: '', created: {}, updated: {}, unchanged: {}, skipped: {}, refused: {}, lines: [], linesLeftOut: 0, redirects: [], redirectsLeftOut: 0, sticky: [], resumedFrom: 0, ms: 0 };
  const bump = (bucket: Record<string, number>, kind: string, by = 1) => (bucket[kind] = (bucket[kind] ?? 0) + by);
  const line = (l: ReportLine) => (report.lines.length < MAX_LINES ? report.lines.push(l) : report.linesLeftOut++);
  const progress = opts.progress ?? (() => {});

  let stamp = '';
  try {
    const st = fs.statSync(opts.file);
    if (!st.isFile()) throw new Error('not a file');
    stamp = `${st.size}:${Math.floor(st.mtimeMs)}`;
  } catch (err) {
    throw new ImportRefused('unreadable', (err as Error).message);
  }
  const fileSize = Number(stamp.split(':')[0]);

  // ---------- pass 1: the scan ----------
  let channel: WxrChannel | null = null;
  const authors: WxrAuthor[] = [];
  const terms: WxrTerm[] = [];
  const attachments = new Map<string, { id: string; url: string; parent: string; link: string; alt: string; title: string }>();
  let posts = 0;
  let bytes = 0;
  try {
    for await (const r of readWxr(opts.file, { skipText: SCAN_SKIPS, onBytes: (n) => progress({ phase: 'scan', done: (bytes += n), total: fileSize }) })) {
      if (r.kind === 'channel') channel = r.channel;
      else if (r.kind === 'author') authors.push(r.author);
      else if (r.kind === 'term') terms.push(r.term);
      else if (r.item.type === 'attachment') {
        if (r.item.id && r.item.attachmentUrl) attachments.set(r.item.id, { id: r.item.id, url: r.item.attachmentUrl, parent: r.item.parent, link: r.item.link, alt: metaValue(r.item, '_wp_attachment_image_alt') ?? '', title: r.item.title });
      } else if (r.item.type === 'post' || r.item.type === 'page') posts++;
    }
  } catch (err) {
    if (err instanceof WxrError) throw new ImportRefused(err.code, err.message);
    throw err;
  }
  if (!channel) throw new ImportRefused('not_wxr', 'no channel');
  const ch: WxrChannel = channel;
  report.version = ch.version;
  const siteUrl = (ch.baseSiteUrl || ch.baseBlogUrl || ch.link).replace(/^https?:\/\//i, '').replace(/\/+$/, '').toLowerCase();
  if (!siteUrl) throw new ImportRefused('not_wxr', 'the export names no site (wp:base_site_url)');
  report.site = siteUrl;

  // ---------- the run ----------
  const siteId = await store.site(siteUrl, !dry);
  const known = await store.known(siteId);
  let resumeFrom = 0;
  let runId = opts.runId ?? null;
  if (!dry) {
    if (opts.resume) {
      const previous = await store.resumable(opts.file, stamp);
      if (previous) {
        resumeFrom = previous.position;
        if (runId === null) runId = previous.id;
      }
    }
    runId ??= await store.createRun({ file: opts.file, stamp, dryRun: false, state: 'running', createdBy: opts.userId ?? null });
    await store.startRun(runId, siteId, posts);
  }
  report.runId = runId;
  report.resumedFrom = resumeFrom;
  const redirects: RedirectRow[] = [];
  const addRedirect = (old: string, r: Omit<RedirectRow, 'oldKey'>, list: RedirectRow[] = redirects) => {
    const key = oldPathKey(old);
    if (!key) return;
    list.push({ ...r, oldKey: key });
    if (report.redirects.length < MAX_REPORT_REDIRECTS) report.redirects.push({ old, target: r.targetKind === 'path' ? r.targetPath! : `${r.targetKind} ${r.targetId ?? '(new)'}` });
    else report.redirectsLeftOut++;
  };
  const feed = '/rss.xml';

  try {
    // Authors, sections and tags a post names are made on demand, one at a time:
    // posts written side by side must not both make the same one.
    let structureTurn: Promise<unknown> = Promise.resolve();
    const inTurn = <T>(make: () => Promise<T>): Promise<T> => {
      const turn = structureTurn.then(make);
      structureTurn = turn.catch(() => {});
      return turn;
    };

    // ---------- structure: authors ----------
    progress({ phase: 'structure', done: 0, total: authors.length + terms.length });
    const authorIds = new Map<string, number | null>();
    const portalAuthors = new Map((await content.listAuthors()).map((a) => [a.slug, a]));
    async function authorFor(login: string, displayName: string): Promise<number | null> {
      const k = login.toLowerCase();
      if (authorIds.has(k)) return authorIds.get(k)!;
      const knownRow = known.get(`author:${k}`);
      let id: number | null = knownRow?.targetId ?? null;
      const name = (displayName || login).trim().slice(0, 120) || login;
      let slug = slugify(name) || slugify(login) || `avtor-${crypto.createHash('sha1').update(login).digest('hex').slice(0, 6)}`;
      if (id === null) {
        const same = portalAuthors.get(slug);
        if (same && same.name === name) id = same.id;
        else if (!dry) {
          for (let n = 2; portalAuthors.has(slug); n++) slug = `${slugify(name).slice(0, 70) || 'avtor'}-${n}`;
          id = await content.createAuthor({ slug, name });
          portalAuthors.set(slug, { id, slug, name, position: '', bio: '', photo_id: null, user_id: null });
          bump(report.created, 'authors');
          await store.putItems(siteId!, [{ kind: 'author', key: k, targetId: id }]);
        } else bump(report.created, 'authors');
      }
      authorIds.set(k, id);
      const finalSlug = [...portalAuthors.values()].find((a) => a.id === id)?.slug ?? slug;
      addRedirect(`/author/${encodeURIComponent(authorNicename(k))}/`, { targetKind: 'path', targetId: null, targetPath: `/authors/${finalSlug}/` });
      return id;
    }
    const authorById = new Map<string, string>();
    const accountOfWpUser = new Map<string, number>(); // WordPress user id → the portal account
    for (const a of authors) {
      if (!a.login) continue;
      authorById.set(a.id, a.login);
      const name = a.displayName || [a.firstName, a.lastName].filter(Boolean).join(' ');
      const authorId = await authorFor(a.login, name);
      if (opts.accounts) {
        const userId = await accountFor(a, (name || a.login).trim().slice(0, 60), authorId);
        if (userId !== null && a.id) accountOfWpUser.set(a.id, userId);
      }
    }
    /** The author's account: the one with their address, or a new one («author»), linked to their profile. */
    async function accountFor(a: WxrAuthor, displayName: string, authorId: number | null): Promise<number | null> {
      const email = a.email.trim();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
        line({ item: `author ${a.login}`, title: displayName, code: 'account_no_email' });
        return null;
      }
      if (!deps.accounts) throw new Error('accounts are not available to the import');
      let userId = (await deps.accounts.idsByEmail([email])).get(email.toLowerCase()) ?? null;
      if (userId !== null) bump(report.unchanged, 'accounts');
      else if (dry) bump(report.created, 'accounts');
      else {
        // A password no one knows: the owner sets theirs by «Забыли пароль?».
        userId = (await deps.accounts.createUser({ email, password: randomToken(24), displayName, role: 'author' })).id;
        bump(report.created, 'accounts');
      }
      if (!dry && userId !== null && authorId !== null) {
        const profile = [...portalAuthors.values()].find((p) => p.id === authorId);
        const linkedElsewhere = [...portalAuthors.values()].some((p) => p.user_id === userId && p.id !== authorId);
        if (profile && profile.user_id === null && !linkedElsewhere) {
          await content.updateAuthor(authorId, { name: profile.name, slug: profile.slug, position: profile.position ?? '', bio: profile.bio ?? '', photoId: profile.photo_id ?? null, userId });
          profile.user_id = userId;
        }
      }
      return userId;
    }
    for (const [wpId, login] of authorById) {
      const id = authorIds.get(login.toLowerCase());
      const slug = [...portalAuthors.values()].find((x) => x.id === id)?.slug;
      if (slug) addRedirect(`/?author=${wpId}`, { targetKind: 'path', targetId: null, targetPath: `/authors/${slug}/` });
    }

    // ---------- structure: categories → sections ----------
    const categories = new Map<string, WxrTerm>();
    for (const t of terms) if (t.taxonomy === 'category' && t.slug) categories.set(slugKey(t.slug), t);
    const sectionOf = new Map<string, number | null>();
    const pathOf = new Map<string, string>();
    async function sectionFor(nicename: string, seen: Set<string> = new Set(), name = ''): Promise<number | null> {
      const k = slugKey(nicename);
      if (sectionOf.has(k)) return sectionOf.get(k)!;
      const cat = categories.get(k);
      let parentKey = cat?.parent ? slugKey(cat.parent) : '';
      if (parentKey === k) {
        line({ item: `category ${k}`, title: cat?.name, code: 'category_own_parent' });
        bump(report.refused, 'categories');
        parentKey = '';
      } else if (parentKey && seen.has(parentKey)) {
        line({ item: `category ${k}`, title: cat?.name, code: 'category_cycle' });
        parentKey = '';
      } else if (parentKey && !categories.has(parentKey)) parentKey = '';
      const parentSection = parentKey ? await sectionFor(parentKey, new Set([...seen, k])) : null;
      pathOf.set(k, parentKey ? `${pathOf.get(parentKey) ?? parentKey}/${k}` : k);
      let id: number | null = null;
      const mapped = map[k];
      if (mapped) {
        const s = (await content.sections()).bySlugOf(mapped);
        if (s) id = s.id;
        else line({ item: `category ${k}`, title: cat?.name, code: 'map_unknown_section', detail: mapped });
      }
      if (id === null) {
        const knownRow = known.get(`category:${k}`);
        if (knownRow?.targetId && (await content.sections()).get(knownRow.targetId)) id = knownRow.targetId;
      }
      if (id === null) {
        // A category the export does not declare (some plugins' exports) is known by the post's word for it.
        const title = (cat?.name || name || k).slice(0, 120);
        const slug = slugify(title) || slugify(k) || `rubrika-${cat?.id ?? sectionOf.size + 1}`;
        const existing = (await content.sections()).bySlugOf(slug);
        if (existing) id = existing.id;
        else if (!dry) {
          id = await content.createSection({ slug, title, parentId: parentSection, description: cat?.description ? plainText(cat.description).slice(0, 500) : '' });
          bump(report.created, 'sections');
        } else {
          // A dry run makes nothing: a section that would be made stands in as -1.
          id = -1;
          bump(report.created, 'sections');
        }
      }
      sectionOf.set(k, id);
      if (!dry && id !== null && id > 0) await store.putItems(siteId!, [{ kind: 'category', key: k, targetId: id }]);
      return id;
    }
    for (const k of categories.keys()) await sectionFor(k);
    for (const [k, cat] of categories) {
      const id = sectionOf.get(k);
      if (!id || id < 0) continue;
      const s = (await content.sections()).get(id);
      if (!s) continue;
      for (const p of new Set([pathOf.get(k)!, k])) {
        addRedirect(`/category/${p}/`, { targetKind: 'section', targetId: id });
        addRedirect(`/category/${p}/feed/`, { targetKind: 'path', targetId: null, targetPath: `/rss/${s.slug}.xml` });
      }
      if (cat.id) addRedirect(`/?cat=${cat.id}`, { targetKind: 'section', targetId: id });
    }
    const defaultSection = async (): Promise<number | null> => {
      const slug = map['@default'];
      const tree = await content.sections();
      if (slug) return tree.bySlugOf(slug)?.id ?? null;
      return [...sectionOf.values()].find((v) => v !== null && v > 0) ?? tree.roots()[0]?.id ?? (dry && sectionOf.size ? -1 : null);
    };

    // ---------- structure: tags ----------
    const tagIds = new Map<string, number | null>();
    async function tagFor(slug: string, name: string): Promise<number | null> {
      const k = slugKey(slug || name);
      if (tagIds.has(k)) return tagIds.get(k)!;
      const title = (name || k).trim().slice(0, 100);
      const portalSlug = slugify(title);
      if (!portalSlug) {
        tagIds.set(k, null);
        return null;
      }
      let id: number | null = known.get(`tag:${k}`)?.targetId ?? null;
      if (!dry) {
        if (id === null) {
          id = await content.ensureTag(title);
          bump(report.created, 'tags');
          await store.putItems(siteId!, [{ kind: 'tag', key: k, targetId: id }]);
        }
      } else if (id === null) bump(report.created, 'tags');
      tagIds.set(k, id);
      addRedirect(`/tag/${k}/`, { targetKind: 'path', targetId: null, targetPath: `/tags/${portalSlug}/` });
      addRedirect(`/tag/${k}/feed/`, { targetKind: 'path', targetId: null, targetPath: `/tags/${portalSlug}/` });
      addRedirect(`/?tag=${k}`, { targetKind: 'path', targetId: null, targetPath: `/tags/${portalSlug}/` });
      return id;
    }
    for (const t of terms) if (t.taxonomy === 'post_tag') await tagFor(t.slug, t.name);

    for (const f of ['/feed/', '/feed/rss2/', '/feed/rss/', '/feed/atom/', '/feed/rdf/', '/comments/feed/', '/?feed=rss2', '/?feed=rss', '/?feed=atom', '/?feed=comments-rss2']) addRedirect(f, { targetKind: 'path', targetId: null, targetPath: feed });

    // ---------- media ----------
    // The pictures are made while the posts are written, not before them: a picture
    // is mostly libvips's thread, a post mostly this one (on PGlite the database runs
    // here), so side by side they keep two cores busy. A post waits only for its own
    // pictures (its cover and the files its body shows), which are started at once if
    // the workers have not come to them yet.
    // What the run keeps of a picture is its id and its largest JPEG's address (all
    // that bodies, covers and old addresses need), not its ImageRef with every
    // variant: 20,000 of them were some 10 MB of the run's heap.
    const picOf = (ref: ImageRef): Picture => ({ id: ref.id, jpeg: largestJpeg(ref) });
    const images = new Map<string, Picture>(); // attachment id → image
    const attachmentList = [...attachments.values()];
    // An image URL's key → the attachments of that key, in file order (the last one
    // with a picture answers).
    const attachmentsOfKey = new Map<string, string[]>();
    for (const a of attachmentList) {
      const key = mediaKey(a.url);
      attachmentsOfKey.set(key, [...(attachmentsOfKey.get(key) ?? []), a.id]);
    }
    const knownImageIds = attachmentList.map((a) => known.get(`attachment:${a.id}`)).filter((k): k is KnownItem => !!k && k.targetId !== null && !k.failed).map((k) => k.targetId!);
    const stored = new Map<number, Picture>();
    for (const [id, ref] of await media.get(knownImageIds)) stored.set(id, picOf(ref));
    let mediaDone = 0;
    let postsStarted = false;
    let mediaStop = false; // a run stopping: the workers take no more pictures
    progress({ phase: 'media', done: 0, total: attachmentList.length });
    const queue = [...attachmentList];
    const limits = opts.limits ?? DEFAULT_LIMITS;
    const fetchAllowed = opts.fetch ?? !opts.uploadsDir;
    const pictureOf = new Map<string, Promise<void>>(); // attachment id → settled when its picture is made (or failed)
    const settled = new Set<string>(); // attachment ids whose picture is made or failed
    async function makePicture(a: (typeof attachmentList)[number]): Promise<void> {
        const k = known.get(`attachment:${a.id}`);
        const have = k?.targetId ? stored.get(k.targetId) : undefined;
        if (have && !k!.failed) {
          images.set(a.id, have);
          bump(report.unchanged, 'media');
        } else if (dry) {
          if (opts.uploadsDir) {
            try {
              await readLocal(opts.uploadsDir, a.url, limits.maxBytes);
              bump(report.created, 'media');
            } catch (err) {
              bump(report.refused, 'media');
              line({ item: `attachment ${a.id}`, title: a.title, code: 'media_failed', detail: `${a.url}: ${(err as Error).message}` });
            }
          } else bump(report.created, 'media');
        } else {
          try {
            let bytes: Buffer | null = null;
            if (opts.uploadsDir) {
              try {
                bytes = await readLocal(opts.uploadsDir, a.url, limits.maxBytes);
              } catch (err) {
                if (!fetchAllowed || !(err instanceof FetchError) || err.code !== 'not_found') throw err;
              }
            }
            if (!bytes) {
              if (!fetchAllowed) throw new FetchError('not_found', 'not in the uploads folder');
              bytes = await fetchRemote(a.url, limits);
            }
            const ref = await media.store(bytes, { alt: (a.alt || a.title).slice(0, 300), createdBy: opts.userId ?? null });
            images.set(a.id, picOf(ref));
            await store.putItems(siteId!, [{ kind: 'attachment', key: a.id, targetId: ref.id, fingerprint: a.url }]);
            bump(report.created, 'media');
          } catch (err) {
            const message = (err as Error).message;
            bump(report.refused, 'media');
            line({ item: `attachment ${a.id}`, title: a.title, code: 'media_failed', detail: `${a.url}: ${message}`.slice(0, 500) });
            // Remembered as failed: the next run tries it again.
            await store.putItems(siteId!, [{ kind: 'attachment', key: a.id, targetId: null, fingerprint: a.url, failed: message || 'failed' }]);
          }
        }
        settled.add(a.id);
        ++mediaDone;
        if (!postsStarted) progress({ phase: 'media', done: mediaDone, total: attachmentList.length });
    }
    /** The attachment's picture, made now if no worker has started it. */
    const picture = (id: string): Promise<void> => {
      if (settled.has(id)) return Promise.resolve();
      let made = pictureOf.get(id);
      if (!made) {
        const a = attachments.get(id);
        made = a && !opts.signal?.aborted ? makePicture(a) : Promise.resolve();
        pictureOf.set(id, made);
        // Once made, `settled` answers for it: the promise is not kept for the run.
        made.then(() => pictureOf.delete(id), () => {});
      }
      return made;
    };
    async function mediaWorker() {
      for (let a = queue.shift(); a; a = queue.shift()) {
        if (opts.signal?.aborted || mediaStop) return;
        await picture(a.id);
      }
    }
    const mediaMade = Promise.all(Array.from({ length: Math.max(1, deps.picturesAtOnce ?? 2) }, () => mediaWorker()));
    // Until the posts need it: a failure there is the run's (the posts' finally waits for the media first).
    mediaMade.catch(() => {});
    const imageByKey = (key: string): Picture | undefined => {
      const ids = attachmentsOfKey.get(key) ?? [];
      for (let i = ids.length - 1; i >= 0; i--) if (images.has(ids[i]!)) return images.get(ids[i]!);
      return undefined;
    };
    /** The attachments a post shows: its cover and every uploads file its body names. */
    const picturesOf = (item: WxrItem): string[] => {
      const ids = new Set<string>();
      const thumb = metaValue(item, '_thumbnail_id')?.trim();
      if (thumb && attachments.has(thumb)) ids.add(thumb);
      for (const m of item.content.matchAll(/\/wp-content\/uploads\/[^"'\s<>)\]]+/gi)) {
        for (const id of attachmentsOfKey.get(mediaKey(m[0])) ?? []) ids.add(id);
      }
      return [...ids];
    };
    // The body's converter asks for images one at a time and cannot wait: a picture
    // not made yet (a URL the scan above did not see) is noted, made, and the body
    // converted again.
    let unmade: string[] = [];
    const imageFor = (src: string) => {
      const key = mediaKey(src);
      const ref = imageByKey(key);
      if (!ref) for (const id of attachmentsOfKey.get(key) ?? []) if (!settled.has(id)) unmade.push(id);
      return ref ? { url: ref.jpeg, imageId: ref.id } : null;
    };

    // ---------- pass 2: posts ----------
    const seen = new Set<string>();
    const articleOf = new Map<string, number>(); // post id → article id (for attachment pages)
    for (const [key, k] of known) if (key.startsWith('post:') && k.targetId) articleOf.set(key.slice(5), k.targetId);
    let done = 0;
    const total = posts;
    postsStarted = true;
    progress({ phase: 'posts', done: 0, total });
    const fallbackSection = await defaultSection();
    // Posts are started in file order, several at a time (deps.postsAtOnce), and
    // written in batches of deps.postsPerBatch, each batch one transaction: all of its
    // posts come in or none. The run's position — where `--resume` goes on — is the
    // first post not yet written: every post before it is in (a batch's posts leave
    // `writing` only once it has committed). It is saved every two seconds and at the
    // end, not per post (a post written again after a crash is found unchanged).
    const postsAtOnce = Math.max(1, deps.postsAtOnce ?? 1);
    const postsPerBatch = Math.max(1, deps.postsPerBatch ?? 1);
    const writing = new Set<number>(); // the file positions of the posts being written
    let nextIndex = resumeFrom;
    const position = () => (writing.size ? Math.min(...writing) : nextIndex);
    let lastProgress = Date.now();
    const saveProgress = async (force = false) => {
      if (dry || (!force && Date.now() - lastProgress < 2000)) return;
      lastProgress = Date.now();
      await store.progress(runId!, { done, position: position() });
    };
    const inFlight = new Set<Promise<void>>();
    let fatal: unknown = null;
    // The articles written (new or updated) are announced to search in batches, not
    // one by one: it indexes a batch in a few statements where a post alone cost a
    // third of its statements. Announced every INDEX_EVERY posts and whatever stops
    // the run (an interrupted run's posts are findable too); an article a crash
    // left unannounced is a new one the search's backfill job indexes.
    let toAnnounce: number[] = [];
    let announcing: Promise<void> = Promise.resolve();
    const announce = () => {
      const ids = toAnnounce;
      toAnnounce = [];
      // One batch after another: never two at once on the embedded database's one connection.
      announcing = announcing.then(() => content.changedTogether(ids));
      return announcing;
    };

    /** A post ready to be written: its article (null when only new comments came), comments and old addresses. */
    interface Ready {
      item: WxrItem;
      article: NewArticle | null;
      knownId: number | null;
      fingerprint: string;
      rows: Parameters<Comments['importThread']>[1];
      commentKeys: string[];
      oldAddresses: string[];
      sticky: boolean;
    }
    type Waiting = { ready: Ready; resolve: () => void; reject: (err: unknown) => void };
    let batch: Waiting[] = [];
    let readToTheEnd = false;
    let written = 0; // articles written in this run
    let analyzedAt = 0; // … when the statistics were last gathered
    let preparing = 0;
    let draining = false;
    /** Writes a batch in one transaction; after a failure, each of its posts alone, so one post's fault is its own. */
    const writeBatch = async (list: Waiting[]) => {
      try {
        await onceMore(() => writeTogether(list.map((w) => w.ready)));
        for (const w of list) w.resolve();
      } catch (err) {
        if (list.length === 1) return list[0]!.reject(err);
        for (const w of list) await onceMore(() => writeTogether([w.ready])).then(w.resolve, w.reject);
      }
    };
    const flush = () => {
      const list = batch;
      batch = [];
      if (list.length) void writeBatch(list);
    };
    const write = async (item: WxrItem, index: number) => {
      const label = `${item.type} ${item.id || '?'}`;
      const title = item.title.trim();
      try {
        preparing++;
        let ready: Ready | undefined;
        try {
          ready = await preparePost(item, label, title);
        } finally {
          preparing--;
        }
        if (ready) {
          const r = ready;
          const written = new Promise<void>((resolve, reject) => batch.push({ ready: r, resolve, reject }));
          if (batch.length >= postsPerBatch || (draining && !preparing)) flush();
          await written;
        } else if (draining && !preparing) flush();
      } catch (err) {
        if (err instanceof ImportRefused) fatal ??= err;
        else {
          // One post's failure is its own: reported, rolled back, the run goes on.
          bump(report.refused, `${item.type}s`);
          line({ item: label, title, code: 'post_failed', detail: (err as Error).message.slice(0, 300) });
        }
      } finally {
        writing.delete(index);
      }
      progress({ phase: 'posts', done, total });
      await saveProgress();
    };
    try {
      for await (const r of readWxr(opts.file)) {
        if (r.kind !== 'item') continue;
        const item = r.item;
        if (item.type !== 'post' && item.type !== 'page') {
          if (item.type !== 'attachment') bump(report.skipped, item.type || 'unknown');
          continue;
        }
        if (opts.signal?.aborted) throw new ImportRefused('interrupted', 'interrupted');
        if (fatal) throw fatal;
        done++;
        if (r.index < resumeFrom) {
          if (item.id) seen.add(item.id);
          continue;
        }
        nextIndex = r.index + 1;
        writing.add(r.index);
        const task = write(item, r.index).finally(() => inFlight.delete(task));
        inFlight.add(task);
        // Batches: room for one being written and the next one being made ready.
        if (inFlight.size >= (postsPerBatch > 1 ? 2 * postsPerBatch : postsAtOnce)) await Promise.race(inFlight);
        if (toAnnounce.length >= INDEX_EVERY) await announce();
        if (deps.analyze && written - analyzedAt >= Math.max(ANALYZE_FIRST, analyzedAt)) {
          analyzedAt = written;
          await deps.analyze();
        }
      }
      readToTheEnd = true;
    } finally {
      // Whatever stops the run, the posts already started finish (or roll back) first,
      // the articles written are announced, and the position is saved for `--resume`.
      // The last batch is written once no post is still being made ready.
      draining = true;
      if (!preparing) flush();
      await Promise.all(inFlight);
      // The pictures no post needed are made to the end, unless the run is stopping.
      if (fatal || opts.signal?.aborted || !readToTheEnd) mediaStop = true;
      postsStarted = false;
      await mediaMade.catch((err) => (fatal ??= err));
      const last = announce();
      await saveProgress(true).catch(() => {});
      await (fatal ? last.catch(() => {}) : last);
    }
    if (fatal) throw fatal;

    async function preparePost(item: WxrItem, label: string, title: string): Promise<Ready | undefined> {
      if (!item.id || !/^\d{1,18}$/.test(item.id)) {
        bump(report.refused, `${item.type}s`);
        return void line({ item: label, title, code: 'no_id' });
      }
      if (seen.has(item.id)) {
        bump(report.refused, `${item.type}s`);
        return void line({ item: label, title, code: 'duplicate_id' });
      }
      seen.add(item.id);
      const status = STATUS[item.status];
      if (!status) {
        bump(report.skipped, `${item.type}s`);
        return;
      }
      if (item.type === 'page' && !map['@pages']) {
        bump(report.skipped, 'pages');
        return void line({ item: label, title, code: 'page_skipped' });
      }
      if (!title) {
        bump(report.refused, `${item.type}s`);
        return void line({ item: label, code: 'no_title' });
      }
      const date = itemDate(item);
      if (!date && status !== 'draft') {
        bump(report.refused, `${item.type}s`);
        return void line({ item: label, title, code: 'bad_date', detail: (item.dateGmt || item.date || item.pubDate).slice(0, 40) });
      }
      let sectionId: number | null = null;
      if (item.type === 'page') sectionId = (await content.sections()).bySlugOf(map['@pages']!)?.id ?? null;
      else {
        for (const c of item.categories) {
          if (c.domain !== 'category') continue;
          sectionId = await inTurn(() => sectionFor(c.nicename || c.name, new Set(), c.name));
          if (sectionId) break;
        }
      }
      sectionId ??= fallbackSection;
      if (!sectionId) {
        bump(report.refused, `${item.type}s`);
        return void line({ item: label, title, code: 'no_section' });
      }
      const author = item.creator ? await inTurn(() => authorFor(item.creator, item.creator)) : null;
      const tags: number[] = [];
      for (const c of item.categories) if (c.domain === 'post_tag') {
        const id = await inTurn(() => tagFor(c.nicename, c.name));
        if (id) tags.push(id);
      }
      // Its pictures first (made now if the media workers have not come to them).
      await Promise.all(picturesOf(item).map(picture));
      const thumb = metaValue(item, '_thumbnail_id');
      const cover = thumb ? images.get(thumb.trim()) : undefined;
      const seoTitle = yoast(metaValue(item, '_yoast_wpseo_title') ?? metaValue(item, 'rank_math_title') ?? '', title).slice(0, 200);
      const seoDescription = plainText(metaValue(item, '_yoast_wpseo_metadesc') ?? metaValue(item, 'rank_math_description') ?? '').slice(0, 400);
      const lead = plainText(item.excerpt).slice(0, 1000);
      const published = status === 'published' || status === 'scheduled' ? date : null;
      const sticky = item.sticky === '1';
      const commentList = item.comments.filter((c) => c.id);
      // What the post was, and which of its pictures came over (a file that failed
      // and arrives on a later run changes it): an unchanged post is not converted again.
      const pictures = [...item.content.matchAll(/\/wp-content\/uploads\/[^"'\s<>)\]]+/gi)].map((m) => imageByKey(mediaKey(m[0]))?.id ?? 0);
      const fingerprint = sha({ t: title, c: item.content, e: item.excerpt, s: status, d: date?.toISOString(), sec: sectionId, a: author, tags, cover: cover?.id, seoTitle, seoDescription, pictures });
      const knownPost = known.get(`post:${item.id}`);
      const newComments = commentList.filter((c) => {
        if (known.has(`comment:${c.id}`)) return false;
        if (c.type === 'pingback' || c.type === 'trackback') {
          bump(report.skipped, 'pingbacks');
          return false;
        }
        if (!commentState(c)) {
          bump(report.skipped, 'trashedComments');
          return false;
        }
        if (!plainText(c.content).trim()) {
          bump(report.refused, 'comments');
          line({ item: `comment ${c.id}`, title, code: 'comment_empty' });
          return false;
        }
        return true;
      });
      const converted = () => {
        const warnings: { code: string; detail?: string }[] = [];
        const blocks: Block[] = htmlToBlocks(item.content, { image: imageFor, warn: (code, detail) => warnings.push({ code, detail }) });
        return { blocks, warnings };
      };

      // The old addresses of the post: its permalink, ?p=, its comment feed, its old slugs.
      const linkKey = item.link ? oldPathKey(item.link) : null;
      const target = { targetKind: 'article' as const, targetId: knownPost?.targetId ?? null };
      const keysFor = () => {
        const list: string[] = [];
        if (item.link) list.push(item.link);
        list.push(`/?p=${item.id}`);
        if (item.type === 'page') list.push(`/?page_id=${item.id}`);
        if (item.guid && /[?&]p(?:age_id)?=\d+/.test(item.guid)) list.push(item.guid);
        if (linkKey && !linkKey.startsWith('?')) {
          list.push(`${linkKey}/feed/`);
          const slug = slugKey(item.name);
          if (slug && lastSegment(linkKey) === slug) {
            for (const m of item.meta) if (m.key === '_wp_old_slug' && m.value.trim()) list.push(withLastSegment(linkKey, slugKey(m.value)));
          }
        }
        return list;
      };

      if (dry) {
        for (const w of converted().warnings.slice(0, 20)) line({ item: label, title, code: `warn.${w.code}`, detail: w.detail });
        if (!knownPost) bump(report.created, `${item.type}s`);
        else if (knownPost.fingerprint !== fingerprint) bump(report.updated, `${item.type}s`);
        else bump(report.unchanged, `${item.type}s`);
        if (newComments.length) bump(report.created, 'comments', newComments.length);
        for (const old of keysFor()) addRedirect(old, target);
        if (sticky) report.sticky.push(Number(item.id));
        return;
      }
      const unchanged = !!knownPost?.targetId && knownPost.fingerprint === fingerprint;
      if (unchanged && !newComments.length) {
        bump(report.unchanged, `${item.type}s`);
        articleOf.set(item.id, knownPost!.targetId!);
        for (const old of keysFor()) if (report.redirects.length < MAX_REPORT_REDIRECTS) report.redirects.push({ old, target: `article ${knownPost!.targetId}` });
        return;
      }
      // Comments in an order where a parent comes before its replies.
      const rows: Parameters<Comments['importThread']>[1] = [];
      const rowOf = new Map<string, number>();
      const commentKeys: string[] = [];
      const pending = [...newComments];
      for (let pass = 0; pending.length && pass < 50; pass++) {
        for (let i = 0; i < pending.length; i++) {
          const c = pending[i]!;
          const parent = c.parent && c.parent !== '0' ? c.parent : '';
          const parentRow = parent ? rowOf.get(parent) : undefined;
          const parentKnown = parent ? known.get(`comment:${parent}`)?.targetId : undefined;
          const parentAround = parent && pending.some((p) => p.id === parent);
          if (parent && parentRow === undefined && !parentKnown && parentAround && pass < 49) continue; // its parent first
          const when = wpDate(c.dateGmt) ?? wpDate(c.date) ?? date ?? clock.now();
          rowOf.set(c.id, rows.length);
          commentKeys.push(c.id);
          rows.push({
            ...(parentRow !== undefined ? { parent: parentRow } : parentKnown ? { parentId: parentKnown } : {}),
            ...(c.userId && accountOfWpUser.has(c.userId) ? { authorId: accountOfWpUser.get(c.userId)! } : { authorId: null, guestName: c.author.trim() || opts.anonymousName }),
            body: plainText(c.content),
            createdAt: when,
            status: commentState(c)!,
            heldReason: commentState(c) === 'held' ? 'import' : commentState(c) === 'rejected' ? 'spam' : '',
          });
          pending.splice(i--, 1);
        }
      }
      let article: NewArticle | null = null;
      if (!unchanged) {
        let blocks = converted();
        if (unmade.length) {
          // A picture the body shows that was not made yet: made now, the body converted again.
          const ids = unmade;
          unmade = [];
          await Promise.all(ids.map(picture));
          blocks = converted();
        }
        unmade = [];
        for (const w of blocks.warnings.slice(0, 20)) line({ item: label, title, code: `warn.${w.code}`, detail: w.detail });
        article = {
          type: 'news',
          status,
          sectionId,
          title: title.slice(0, 300),
          lead,
          body: { blocks: blocks.blocks },
          authorIds: author ? [author] : [],
          tagIds: tags,
          coverImageId: cover?.id ?? null,
          coverCaption: '',
          seoTitle,
          seoDescription,
          publishedAt: published,
          scheduledAt: status === 'scheduled' ? date : null,
          createdBy: opts.userId ?? null,
        };
      }
      return { item, article, knownId: knownPost?.targetId ?? null, fingerprint, rows, commentKeys, oldAddresses: keysFor(), sticky };
    }

    /**
     * Posts in one transaction: their articles through content's import write path
     * (one statement for all of them per table), each post's comments, and the keys
     * and old addresses of all of them in one statement. Afterwards, what the run
     * keeps and reports of them.
     */
    async function writeTogether(list: Ready[]): Promise<void> {
      // The rows beside the articles, in their transaction.
      const alongside = async (trx: Transaction<DB>, articleIds: number[]) => {
        const items = new Map<string, Parameters<ImportStore['putPost']>[1][number]>();
        const addresses: RedirectRow[] = [];
        for (const [i, r] of ordered.entries()) {
          const articleId = articleIds[i]!;
          const ids = r.rows.length ? await comments.importThread({ kind: 'article', id: articleId }, r.rows, trx) : [];
          items.set(`post:${r.item.id}`, { kind: 'post', key: r.item.id, targetId: articleId, fingerprint: r.fingerprint });
          ids.forEach((id, k) => items.set(`comment:${r.commentKeys[k]}`, { kind: 'comment', key: r.commentKeys[k]!, targetId: id }));
          for (const old of r.oldAddresses) {
            const key = oldPathKey(old);
            if (key) addresses.push({ oldKey: key, targetKind: 'article', targetId: articleId });
          }
        }
        await store.putPost(siteId!, [...items.values()], addresses, trx);
      };
      // The posts with only new comments go after the articles.
      const articles = list.filter((r) => r.article);
      const onlyComments = list.filter((r) => !r.article);
      const ordered = [...articles, ...onlyComments];
      let saved: { id: number; created: boolean }[] = [];
      if (!articles.length) {
        // Only new comments (a newer export of the same posts): no new revision of an article.
        await store.transaction((trx) => alongside(trx, ordered.map((r) => r.knownId!)));
      } else {
        saved = await content.saveImportedMany(
          articles.map((r) => ({ input: r.article!, id: r.knownId })),
          { purge: false, batched: true, alongside: (trx, ids) => alongside(trx, [...ids, ...onlyComments.map((r) => r.knownId!)]) },
        );
      }
      for (const [i, r] of ordered.entries()) {
        const { item } = r;
        const post = r.article ? saved[i]! : { id: r.knownId!, created: false };
        if (r.article) {
          toAnnounce.push(post.id);
          written++;
          bump(post.created ? report.created : report.updated, `${item.type}s`);
        } else bump(report.unchanged, `${item.type}s`);
        articleOf.set(item.id, post.id);
        for (const id of r.commentKeys) known.set(`comment:${id}`, WRITTEN);
        if (r.rows.length) bump(report.created, 'comments', r.rows.length);
        if (r.sticky) report.sticky.push(post.id);
        for (const old of r.oldAddresses) addRedirect(old, { targetKind: 'article', targetId: post.id }, []);
      }
    }

    // ---------- attachment pages and files ----------
    for (const a of attachmentList) {
      const ref = images.get(a.id);
      const parentArticle = a.parent && a.parent !== '0' ? articleOf.get(a.parent) : undefined;
      const page = parentArticle ? { targetKind: 'article' as const, targetId: parentArticle } : ref ? { targetKind: 'path' as const, targetId: null, targetPath: ref.jpeg } : null;
      if (page) {
        if (a.link) addRedirect(a.link, page);
        addRedirect(`/?attachment_id=${a.id}`, page);
        addRedirect(`/?p=${a.id}`, page);
      }
      if (ref) addRedirect(a.url, { targetKind: 'path', targetId: null, targetPath: ref.jpeg });
      // Written as they come, a few thousand at a time, not all at the end (four
      // rows an attachment: 80,000 at 20,000 of them); a later row still wins.
      if (!dry && redirects.length >= REDIRECTS_AT_ONCE) await store.putRedirects(siteId!, redirects.splice(0));
    }
    if (!dry && redirects.length) await store.putRedirects(siteId!, redirects.splice(0));
    progress({ phase: 'finish', done: total, total });
    if (!dry) await content.purgeAll();
    report.ms = Date.now() - started;
    if (!dry && runId !== null) {
      await store.progress(runId, { done: total });
      await store.finishRun(runId, 'done', summaryOf(report));
    }
    return report;
  } catch (err) {
    report.ms = Date.now() - started;
    if (!dry && runId !== null) {
      const interrupted = err instanceof ImportRefused && err.code === 'interrupted';
      await store.finishRun(runId, interrupted ? 'interrupted' : 'failed', summaryOf(report), (err as Error).message).catch(() => {});
      if (!interrupted) await content.purgeAll().catch(() => {});
    }
    throw err;
  }
}

/** What a run keeps of its report in the database: the counts and the first lines, not the redirect list. */
export function summaryOf(r: ImportReport) {
  return { ...r, redirects: [], redirectsLeftOut: r.redirects.length + r.redirectsLeftOut, lines: r.lines.slice(0, 500), linesLeftOut: r.linesLeftOut + Math.max(0, r.lines.length - 500) };
}
