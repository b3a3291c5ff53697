// The «Знакомства» block's faces: the cached page holds only the invitation; the
// reader's own part of the page's reader-state call (dating) brings faces to an
// adult reader with a profile, and nothing to anyone else.
import { readerState } from '../../../web/client/reader-state.js';

interface Face {
  name: string;
  age: string;
  url: string;
  photo: string;
}

export async function startDatingTeaser(el: HTMLElement): Promise<void> {
  const part = (await readerState())?.dating as { items: Face[] } | null | undefined;
  const list = el.querySelector<HTMLUListElement>('.dating-teaser__faces');
  if (!part?.items.length || !list) return;
  list.replaceChildren(
    ...part.items.map((face) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = face.url;
      const img = document.createElement('img');
      img.src = face.photo;
      img.alt = face.name;
      img.loading = 'lazy';
      img.width = 64;
      img.height = 64;
      const name = document.createElement('span');
      name.textContent = `${face.name}, ${face.age}`;
      a.append(img, name);
      li.append(a);
      return li;
    }),
  );
  list.hidden = false;
  el.querySelector('.dating-teaser__invite')?.setAttribute('hidden', '');
}
