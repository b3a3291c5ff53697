// The demo portal's dating section: 44 profiles of made-up people with drawn
// (flat, clearly non-photographic) avatars, their photos approved, a few opted in
// to the teaser, a few matches and conversations. Our own texts; deterministic
// (the same portal every time): every choice comes from the profile's index.
import type { App } from '../src/types.js';
import { randomToken } from '../src/platform/secrets.js';
import { imageLibrary } from '../src/modules/media/index.js';
import { DEFAULT_DISTRICTS } from '../src/modules/dating/index.js';
import { i18n } from '../src/platform/i18n/index.js';
import { seedConversations, type DemoConversation } from './messages.js';

const WOMEN = ['Анна', 'Мария', 'Екатерина', 'Ольга', 'Наталья', 'Ирина', 'Светлана', 'Дарья', 'Алёна', 'Юлия', 'Татьяна', 'Ксения', 'Полина', 'Вера', 'Елена', 'Алина', 'Софья', 'Валерия', 'Марина', 'Любовь', 'Надежда', 'Вероника'];
const MEN = ['Алексей', 'Дмитрий', 'Сергей', 'Андрей', 'Михаил', 'Иван', 'Николай', 'Артём', 'Павел', 'Егор', 'Максим', 'Кирилл', 'Роман', 'Владимир', 'Илья', 'Олег', 'Григорий', 'Тимур', 'Фёдор', 'Степан', 'Денис', 'Антон'];
const ABOUT = [
  'Работаю инженером на водоканале, по выходным катаюсь на велосипеде вдоль набережной. Ищу человека, с которым интересно молчать и разговаривать.',
  'Учитель литературы. Люблю старые фильмы, кофе без сахара и долгие прогулки по Заречному парку.',
  'Варю лучший борщ в районе (проверено соседями). Хочу найти компанию для походов в театр.',
  'Фотографирую городские крыши и трамваи. Если знаете хорошее место для заката — напишите.',
  'Врач, много работаю, поэтому ценю спокойные вечера и честность.',
  'Переехал в город год назад, знакомлюсь с ним заново. Покажете любимые места?',
  'Играю в настольные игры, собираю компанию по четвергам. Новые люди всегда кстати.',
  'Бегаю по утрам, по вечерам читаю. Мечтаю о собаке и маленьком доме за городом.',
  'Программист, но не только: ещё пою в хоре и пеку хлеб.',
  'Люблю рыбалку, баню и хорошие разговоры. Без пафоса.',
  'Танцую сальсу, приглашаю на занятия всех, кто стесняется.',
  '',
];
const INTERESTS = ['music', 'cinema', 'books', 'sport', 'travel', 'cooking', 'games', 'art', 'nature', 'dogs', 'cats', 'theatre', 'dance', 'tech', 'cars', 'photo'];
const INTENTIONS = ['friendship', 'communication', 'relationship', 'marriage'] as const;
const SKIN = ['#f3d2b3', '#e8b98f', '#d19a6a', '#a86f45', '#f6dcc7'];
const HAIR = ['#2b1d14', '#5b3a1e', '#b5651d', '#e3c16f', '#8d8d8d', '#c0392b'];
const BACK = ['#a5d8ff', '#ffd8a8', '#d3f9d8', '#eebefa', '#ffec99', '#c5f6fa', '#ffc9c9', '#d0bfff'];

/** A flat cartoon face (SVG, 400×400): background, shoulders, head, hair, eyes, smile, maybe glasses. */
export function drawAvatar(i: number, woman: boolean): string {
  const skin = SKIN[i % SKIN.length]!;
  const hair = HAIR[(i * 7) % HAIR.length]!;
  const back = BACK[(i * 3) % BACK.length]!;
  const shirt = BACK[(i * 5 + 2) % BACK.length]!;
  const glasses = i % 5 === 2;
  const longHair = woman ? `<path d="M108 190 Q100 330 150 350 L250 350 Q300 330 292 190 Z" fill="${hair}"/>` : '';
  const top = woman ? `<path d="M115 185 Q120 95 200 92 Q280 95 285 185 Q250 130 200 135 Q150 130 115 185 Z" fill="${hair}"/>` : `<path d="M122 170 Q125 100 200 98 Q275 100 278 170 Q240 138 200 140 Q160 138 122 170 Z" fill="${hair}"/>`;
  const beard = !woman && i % 4 === 1 ? `<path d="M145 235 Q200 320 255 235 Q250 290 200 298 Q150 290 145 235 Z" fill="${hair}" opacity=".85"/>` : '';
  const specs = glasses ? `<g fill="none" stroke="#333" stroke-width="6"><circle cx="170" cy="205" r="22"/><circle cx="230" cy="205" r="22"/><path d="M192 205 H208"/></g>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400">
<rect width="400" height="400" fill="${back}"/>
<circle cx="${60 + ((i * 37) % 280)}" cy="${50 + ((i * 53) % 80)}" r="${18 + (i % 4) * 6}" fill="#fff" opacity=".45"/>
${longHair}
<path d="M80 400 Q90 300 200 295 Q310 300 320 400 Z" fill="${shirt}"/>
<rect x="178" y="250" width="44" height="55" rx="18" fill="${skin}"/>
<ellipse cx="200" cy="200" rx="82" ry="95" fill="${skin}"/>
${top}
<circle cx="170" cy="205" r="9" fill="#222"/><circle cx="230" cy="205" r="9" fill="#222"/>
${specs}
<path d="M168 250 Q200 ${270 + (i % 3) * 6} 232 250" fill="none" stroke="#8a3b2e" stroke-width="7" stroke-linecap="round"/>
${beard}
<circle cx="150" cy="240" r="12" fill="#ff8787" opacity=".35"/><circle cx="250" cy="240" r="12" fill="#ff8787" opacity=".35"/>
</svg>`;
}

export interface DemoDater {
  id: number;
  name: string;
}

/** A birth date `age` years and some days before now. */
const birthDate = (now: Date, age: number, i: number) => {
  const d = new Date(now.getTime() - ((i * 37) % 300) * 86400_000);
  d.setUTCFullYear(d.getUTCFullYear() - age);
  return d.toISOString().slice(0, 10);
};

export async function seedDemoDating(app: App, count = 44): Promise<{ profiles: number; matches: number; conversations: number }> {
  const { dating } = app;
  const sharp = await imageLibrary();
  const now = app.clock.now();
  const people: (DemoDater & { woman: boolean; intention: string; district: string })[] = [];
  for (let i = 0; i < count; i++) {
    const woman = i % 2 === 0;
    const names = woman ? WOMEN : MEN;
    const name = names[Math.floor(i / 2) % names.length]!;
    // Nobody signs in as them: a random password nobody knows.
    const user = await app.accounts.createUser({ email: `znakomstva-${i + 1}@demo.gorod`, password: randomToken(12), displayName: name, role: 'reader' });
    const intention = INTENTIONS[Math.floor(i / 2) % INTENTIONS.length]!;
    const district = DEFAULT_DISTRICTS[Math.floor(i / 4) % DEFAULT_DISTRICTS.length]!;
    const age = 21 + ((i * 7) % 38);
    await dating.service.create(user.id, {
      displayName: name,
      birthDate: birthDate(now, age, i),
      gender: woman ? 'f' : 'm',
      // Most look for the other gender; a few for either.
      seek: i % 9 === 4 ? 'any' : woman ? 'm' : 'f',
      ageMin: Math.max(18, age - 10),
      ageMax: Math.min(99, age + 12),
      intention,
      district,
      about: ABOUT[i % ABOUT.length]!,
      interests: [INTERESTS[i % INTERESTS.length]!, INTERESTS[(i * 5 + 3) % INTERESTS.length]!, INTERESTS[(i * 11 + 7) % INTERESTS.length]!],
      visibility: 'visible',
      teaser: i % 3 === 0,
      consent: true,
      consentText: i18n('ru', app.config.timezone).t('dating.consent.text'),
      rules: true,
      ipHash: 'demo',
    });
    const png = await sharp(Buffer.from(drawAvatar(i, woman))).png().toBuffer();
    const image = await app.media.store(png, { alt: name, createdBy: user.id });
    const photoId = await dating.photos.add(user.id, image.id);
    // Most photos are approved; a few wait for the moderator, so the back office has work.
    if (i % 11 !== 10) await dating.photos.decide(photoId, true);
    people.push({ id: user.id, name, woman, intention, district });
  }

  // A few mutual likes (matches) between compatible neighbours, and one-sided likes for «Вы понравились».
  let matches = 0;
  const chats: DemoConversation[] = [];
  const lines = ['Здравствуйте! Увидел(а), что вы тоже любите гулять по набережной.', 'Привет! Как вам новый сквер у вокзала?', 'Добрый вечер! Давно в нашем районе?'];
  const answers = ['Здравствуйте! Да, почти каждый вечер там.', 'Привет! Ещё не была, расскажете?', 'Добрый! Третий год, привыкаю.'];
  for (let i = 0; i + 1 < people.length; i += 2) {
    const [w, m] = [people[i]!, people[i + 1]!];
    const me = await dating.service.me(m.id);
    const her = await dating.service.me(w.id);
    if (!me || !her) continue;
    try {
      await dating.service.like(me, w.id);
      if (i % 4 === 0) {
        const r = await dating.service.like(her, m.id);
        if (r.matched) {
          matches++;
          if (chats.length < lines.length) {
            const k = chats.length;
            chats.push({ subject: { kind: 'profile', id: w.id }, from: { kind: 'user', id: m.id }, to: { kind: 'user', id: w.id }, messages: [{ side: 'from', actorId: m.id, text: lines[k]! }, { side: 'to', actorId: w.id, text: answers[k]! }] });
          }
        }
      }
    } catch {
      // Not compatible after all (ages, a seek of «either»): the next pair.
    }
  }
  // Through messages' demo helper: the real service and this module's policy.
  const conversations = (await seedConversations(app, chats)).length;
  return { profiles: people.length, matches, conversations };
}
