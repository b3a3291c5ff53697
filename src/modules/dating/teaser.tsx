// The «Знакомства» block on the article and home pages. Those pages are cached for
// everyone, so the block's HTML is the same for every reader: an invitation without
// faces. The faces come per reader from the page's one reader-state call (part
// `dating`): only to a signed-in reader with a profile (adult by it), only profiles
// opted in to the teaser, with a moderated photo, mutually compatible, not blocked.
import { Type } from '@sinclair/typebox';
import type { App } from '../../types.js';
import type { I18n } from '../../platform/i18n/index.js';
import type { DatingService } from './service.js';
import type { DatingPhotos } from './photos.js';

export const TEASER_FACES = 4;

const TeaserPart = Type.Object({
  items: Type.Array(Type.Object({ name: Type.String(), age: Type.String(), url: Type.String(), photo: Type.String() })),
});

function TeaserBlock({ i18n }: { i18n: I18n }) {
  return (
    <section class="block dating-teaser" aria-labelledby="dating-teaser-title" data-island="dating-teaser">
      <h2 class="block__title" id="dating-teaser-title">
        {i18n.t('dating.teaser.title')}
      </h2>
      <p class="dating-teaser__invite">{i18n.t('dating.teaser.invite')}</p>
      <ul class="dating-teaser__faces" hidden />
      <a class="dating-teaser__go" href="/dating/">
        {i18n.t('dating.teaser.go')}
      </a>
    </section>
  );
}

export function installTeaser(app: App, service: DatingService, photos: DatingPhotos) {
  const keep = { ttlMs: 10 * 60_000, shared: true };
  app.widgets.add('home.aside', 80, async ({ req }) => <TeaserBlock i18n={req.i18n} />, 'dating-teaser', keep);
  app.widgets.add('article.aside', 80, async ({ req }) => <TeaserBlock i18n={req.i18n} />, 'dating-teaser', keep);
  app.readerState.add('dating', TeaserPart, async (ctx) => {
    if (!ctx.user) return null;
    const me = await service.me(ctx.user.id);
    if (!me) return null;
    const cards = (await service.search(me, { withPhoto: true }, 1, { teaserOnly: true })).slice(0, TEASER_FACES);
    const rows = await photos.of(cards.map((c) => c.id));
    const images = await app.media.get([...rows.values()].map((list) => list[0]!.imageId));
    return {
      items: cards.flatMap((c) => {
        const image = images.get(rows.get(c.id)?.[0]?.imageId ?? 0);
        const small = image?.variants.filter((v) => v.format === 'jpeg').sort((a, b) => a.width - b.width)[0];
        return image && small ? [{ name: c.name, age: ctx.i18n.plural('dating.age', c.age), url: `/dating/p/${c.id}`, photo: image.base + small.file }] : [];
      }),
    };
  });
}
