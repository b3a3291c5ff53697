// Loads the demo portal (our own Russian texts and generated images) into an empty
// database: sections, authors with photos, stories, tags, articles with covers and
// inline images, editor picks. Runs once: a database with any article is left alone.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { App } from '../src/types.js';
import { imageLibrary, type ImageRef } from '../src/modules/media/index.js';
import { randomToken } from '../src/platform/secrets.js';
import { articles, authors, images, sections, stories } from './data/index.js';
import { imprint, infoPages } from './data/info-pages.js';
import type { Block, DemoImage } from './data/types.js';
import { drawDemoImage } from './images.js';
import { silentProgress, type Progress } from '../src/db/backup.js';
import { seedDemoComments } from './comments.js';
import { seedDemoForums } from './forums.js';
import { seedDemoLive } from './live.js';
import { seedDemoDating } from './dating.js';
import { seedDemoClassifieds } from './classifieds.js';

// Drawn at 1200 wide: sharp makes the 480 and 960 variants from it, and the first
// start stays quick (every image is rasterized and encoded six times).
const SIZES = { cover: [1200, 675], portrait: [400, 400] } as const;

async function renderImage(image: DemoImage): Promise<Buffer> {
  const [w, h] = SIZES[image.kind];
  const sharp = await imageLibrary();
  return sharp(Buffer.from(drawDemoImage(image, w, h))).jpeg({ quality: 85 }).toBuffer();
}

/** The demo's back-office account, made with a random password on the first load. */
export interface DemoAdmin {
  email: string;
  password: string;
  /** DATA_DIR/demo-admin.txt, where the account is kept. */
  file: string;
}

export interface SeedOptions {
  /** Told of each image and article as it is made (`gorod serve` draws a bar). */
  progress?: Progress;
  /** false leaves the articles without discussions (the test template: tests count comments from zero). */
  comments?: boolean;
  /** false leaves the forums empty. */
  forums?: boolean;
  /** false leaves the dating section empty. */
  dating?: boolean;
  /** false leaves the classifieds empty. */
  classifieds?: boolean;
}

/** Loads the demo into an empty database: its admin account, or null when there were articles already. */
export async function seedDemoIfEmpty(app: App, options: SeedOptions = {}): Promise<DemoAdmin | null> {
  const progress = options.progress ?? silentProgress;
  const { content, media, log } = { content: app.content, media: app.media, log: app.log };
  if ((await content.countArticles()) > 0) return null;
  const started = Date.now();
  log.info({ images: images.length, articles: articles.length }, 'empty database: loading the demo portal');
  // Images are most of the time (each is drawn, then encoded in six variants);
  // articles and their search entries the rest.
  progress.start(images.length + articles.length);

  const imageRefs = new Map<string, ImageRef>();
  // Two at a time: sharp's encoders keep both cores busy.
  const queue = [...images];
  await Promise.all(
    [0, 1].map(async () => {
      for (let image = queue.shift(); image; image = queue.shift()) {
        imageRefs.set(image.key, await media.store(await renderImage(image), { alt: '' }));
        progress.advance(1, 'drawing images');
      }
    }),
  );
  const img = (key: string) => {
    const ref = imageRefs.get(key);
    if (!ref) throw new Error(`demo image ${key} is missing from demo/data/images.ts`);
    return ref;
  };

  const sectionIds = new Map<string, number>();
  // Parents first: a child names its parent by slug.
  for (const s of [...sections].sort((a, b) => Number(!!a.parent) - Number(!!b.parent))) {
    sectionIds.set(s.slug, await content.createSection({ slug: s.slug, title: s.title, description: s.description, position: s.position, parentId: s.parent ? sectionIds.get(s.parent) : null }));
  }
  const authorIds = new Map<string, number>();
  for (const a of authors) authorIds.set(a.slug, await content.createAuthor({ slug: a.slug, name: a.name, position: a.position, bio: a.bio, photoId: img(a.photo).id }));
  const storyIds = new Map<string, number>();
  for (const s of stories) storyIds.set(s.slug, await content.createStory(s));

  const withImages = (blocks: Block[]) =>
    blocks.map((b) => {
      if (b.type !== 'image' || !b.data.file.url.startsWith('demo:')) return b;
      const ref = img(b.data.file.url.slice(5));
      const jpeg = ref.variants.filter((v) => v.format === 'jpeg').at(-1)!;
      return { ...b, data: { ...b.data, file: { url: ref.base + jpeg.file, imageId: ref.id } } };
    });

  const now = app.clock.now().getTime();
  const articleIds = new Map<string, number>();
  // Oldest first, so ids grow with time as they would on a live site.
  for (const a of [...articles].sort((x, y) => y.hoursAgo - x.hoursAgo)) {
    const tagIds = [];
    for (const t of a.tags) tagIds.push(await content.ensureTag(t));
    const id = await content.createArticle({
      type: a.type,
      status: 'published',
      sectionId: sectionIds.get(a.section)!,
      storyId: a.story ? storyIds.get(a.story) : null,
      title: a.title,
      lead: a.lead,
      body: { blocks: withImages(a.blocks) },
      authorIds: a.authors.map((slug) => authorIds.get(slug)!),
      tagIds,
      coverImageId: a.cover ? img(a.cover.image).id : null,
      coverCaption: a.cover?.caption,
      coverCredit: a.cover?.credit,
      publishedAt: new Date(now - a.hoursAgo * 3600_000),
    });
    articleIds.set(a.key, id);
    progress.advance(1, 'writing articles');
  }
  for (const a of articles) {
    if (a.related?.length) await content.setRelated(articleIds.get(a.key)!, a.related.map((k) => articleIds.get(k)!));
  }
  // Nothing to purge or announce by hand: content does both for every article and
  // section it writes (search and the others take the articles in from its events).
  progress.stop();

  if (options.comments !== false) {
    const seeded = await seedDemoComments(app);
    log.info(seeded, 'demo comments loaded');
  }

  if (options.forums !== false) {
    const seeded = await seedDemoForums(app);
    log.info(seeded, 'demo forums loaded');
  }

  // Live coverage: a finished day of snowstorm (demo/live.ts).
  await seedDemoLive(app, (await content.sections()).roots()[0]!.id, [...authorIds.values()].slice(0, 1));

  // Dating: profiles with drawn avatars, a few matches and conversations (demo/dating.ts).
  if (options.dating !== false) log.info(await seedDemoDating(app), 'demo dating loaded');

  // Classifieds: private ads, six storefronts, an operator, 60 days of leads (demo/classifieds.ts).
  if (options.classifieds !== false) log.info(await seedDemoClassifieds(app), 'demo classifieds loaded');

  // The demo's people are fictional: what the forums, dating and messages told them
  // stays on the site, and no mail to their made-up addresses waits for the mail job.
  await app.notifications.dropWaitingMail();

  // The newsletters: lists only; readers subscribe themselves (double opt-in).
  const lists = [
    { slug: 'utrenniy-daydzhest', name: 'Утренний дайджест', description: 'Главное за сутки каждое утро в 7:30: самое читаемое и выбор редакции.', kind: 'daily' as const, sendTime: '07:30', weekday: null, maxItems: 8, minNewItems: 3, position: 1 },
    { slug: 'glavnoe-za-nedelyu', name: 'Главное за неделю', description: 'Десять материалов недели, которые стоит прочитать, — по воскресеньям.', kind: 'weekly' as const, sendTime: '10:00', weekday: 7, maxItems: 10, minNewItems: 5, position: 2 },
    { slug: 'srochnye-novosti', name: 'Срочные новости', description: 'Только то, что нельзя пропустить: пишем, когда редакция отмечает новость как срочную.', kind: 'breaking' as const, sendTime: '00:00', weekday: null, maxItems: 1, minNewItems: 0, position: 3 },
  ];
  for (const l of lists) await app.newsletter.service.createList({ ...l, sectionIds: [], active: true });

  for (const p of infoPages) await app.infoPages.update(p.slug, p, null);
  await app.infoPages.setImprint(imprint, null);

  // A demo editor to try the back office with; the password is random and shown once.
  // The password stays out of the JSON log (logs travel to aggregators): the caller
  // shows it to the person at the terminal (src/cli/demo-admin.ts), and the file keeps it.
  const admin: DemoAdmin = { email: 'editor@demo.gorod', password: randomToken(9), file: path.join(app.config.dataDir, 'demo-admin.txt') };
  await app.accounts.createUser({ email: admin.email, password: admin.password, displayName: 'Редактор демо', role: 'admin' });
  await fs.writeFile(admin.file, `${admin.email}\n${admin.password}\n`, { mode: 0o600 }).catch(() => {});
  log.info({ email: admin.email, file: admin.file, ms: Date.now() - started }, 'demo portal loaded');
  return admin;
}
