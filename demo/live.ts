// The demo's live coverage (modules/live), our own texts: a finished one — a day
// of snowstorm, 40 entries with key events and a pinned summary — loaded with the
// demo portal, and `gorod demo live`, which keeps a second one running and adds an
// entry every few seconds, so a newcomer can watch a page update itself.
// Articles go through content's one write path; entries through the live service;
// each write purges the tags the console's writes purge. Some of the snowstorm's
// entries have pictures drawn here (demo/images.ts, rasterized by sharp) and stored
// through the media module, as an upload from the console's block editor is.
import type { App } from '../src/types.js';
import { imageLibrary, largestJpeg } from '../src/modules/media/index.js';
import type { DemoImage } from './data/types.js';
import { drawDemoImage } from './images.js';

const para = (text: string) => ({ type: 'paragraph', data: { text } });

/** [minutes after 6:00, title, text, key event] */
const SNOWSTORM: [number, string, string, boolean][] = [
  [0, 'Снегопад начался', 'Первые хлопья пошли около шести утра. Синоптики обещают до 25 сантиметров снега за сутки и порывы ветра до 17 метров в секунду.', true],
  [12, '', 'На Северном шоссе уже буксуют фуры. ГИБДД просит водителей большегрузов переждать на стоянках у въезда в город.', false],
  [20, '', 'Городская служба благоустройства вывела на улицы 140 единиц техники, к обеду обещают довести число машин до 180.', false],
  [31, '', 'Читатели присылают фото из Заречного района: дворы засыпаны, машины под сугробами по зеркала.', false],
  [45, 'Школы открыты, но можно не идти', 'Управление образования: занятия не отменяют, но родители младших классов могут оставить детей дома — пропуск не будет считаться прогулом.', true],
  [58, '', 'Автобусы маршрутов 12 и 40 идут с опозданием до 25 минут. Трамваи пока по расписанию.', false],
  [70, '', 'Аэропорт сообщает о задержке двух утренних рейсов: идёт очистка полосы.', false],
  [84, '', 'Пробки — 8 баллов. Хуже всего на Речном мосту и на выезде с улицы Гагарина.', false],
  [95, '', 'Мэрия напоминает телефон горячей линии по уборке снега: 005. Жалобы принимают круглосуточно.', false],
  [110, '', 'Управляющие компании обязаны расчистить подходы к подъездам до 10 утра. Многие не успевают: снег идёт быстрее, чем его убирают.', false],
  [125, 'Перекрыт спуск к набережной', 'Спуск по улице Луговой закрыт для машин до вечера: на уклоне застряли три легковушки и снегоуборщик.', true],
  [140, '', 'Диспетчер скорой: вызовов с травмами после падений на улице вдвое больше обычного. Врачи просят выбирать обувь с протектором.', false],
  [152, '', 'На Центральном рынке обрушился навес над двумя торговыми рядами. Никто не пострадал, торговля в этой части рынка остановлена.', false],
  [170, '', 'Электрички северного направления идут с опозданием до 15 минут: стрелки на станции Сортировочная чистят вручную.', false],
  [185, '', 'Синоптики уточнили прогноз: пик снегопада — с 13 до 17 часов, потом ветер ослабнет.', false],
  [200, '', 'В Заречном районе снегоуборщики работают в две смены. Жители пишут, что дворы всё ещё не чищены.', false],
  [215, 'Отменены два рейса', 'Аэропорт отменил рейсы в Москву в 12:40 и в Казань в 13:15. Пассажирам предлагают перебронирование без доплаты.', true],
  [230, '', 'Такси подорожало примерно вдвое: сервисы включили повышающий коэффициент по всему городу.', false],
  [245, '', 'Волонтёры поискового отряда дежурят на трассе у поворота на Ключи: помогают водителям застрявших машин и раздают горячий чай.', false],
  [262, '', 'Фото дня от читателя: лыжник идёт по проспекту Мира прямо по проезжей части.', false],
  [280, '', 'Городская больница перевела плановые операции на следующую неделю, экстренная помощь работает.', false],
  [300, 'Самое сильное время снегопада', 'За последний час выпало около 5 сантиметров снега. Видимость на окраинах — до 200 метров.', true],
  [318, '', 'Обрыв провода на улице Садовой: без света около 300 квартир. Аварийная бригада уже на месте.', false],
  [333, '', 'На Речном мосту столкнулись четыре машины. Пострадавших нет, движение в сторону центра затруднено.', false],
  [350, '', 'Мэр провёл оперативное совещание: на ночь выведут дополнительные 60 машин, снег будут вывозить на полигон за Восточной промзоной.', false],
  [365, 'Свет вернули', 'Электричество на Садовой восстановлено: энергетики заменили повреждённый участок провода.', true],
  [380, '', 'Трамвай №3 встал на Привокзальной площади: ветер бросил на пути ветку тополя. Через 20 минут движение восстановили.', false],
  [398, '', 'Магазины товаров для дома сообщают, что лопаты для снега раскупили к обеду.', false],
  [415, '', 'Ветер заметно стих. Синоптики: до утра ещё 3–5 сантиметров снега, потом осадки закончатся.', false],
  [432, '', 'Управляющие компании начали сбивать сосульки с крыш в центре. Просим обходить огороженные участки тротуаров.', false],
  [450, '', 'Рейсы аэропорта возвращаются к расписанию, задержки не больше получаса.', false],
  [468, 'Как добраться домой', 'Свободнее всего вечером трамваи: линии расчищены. Автобусы на окраины идут с задержкой 15–20 минут.', true],
  [485, '', 'Пробки упали до 6 баллов. Самый сложный участок — выезд на Северное шоссе.', false],
  [500, '', 'Школы завтра работают в обычном режиме, сообщило управление образования.', false],
  [515, '', 'Читатель прислал видео: дети строят снежную крепость во дворе на улице Строителей высотой почти в человеческий рост.', false],
  [530, '', 'Спасатели напоминают: не оставляйте машины у стен домов — ночью с крыш будут сбрасывать снег.', false],
  [545, '', 'На Луговой спуск вновь открыт для машин, но только в одну сторону, вверх.', false],
  [560, '', 'Итог дня по данным мэрии: вывезено около 12 тысяч кубометров снега, работают 214 машин и 600 дворников.', false],
  [575, 'Снегопад закончился', 'Снег прекратился около 15:35. Ночью до −12, утром возможен гололёд. Уборка продолжится всю ночь.', true],
  [590, '', 'Мы заканчиваем трансляцию. Спасибо, что были с нами, и будьте осторожны на дорогах утром.', false],
];

/** Pictures of the snowstorm: [minutes of the entry, the picture, its caption]. */
const SNOWSTORM_PICTURES: [number, Omit<DemoImage, 'kind'>, string][] = [
  [31, { key: 'live-snow-zarechny', motif: 'snow', palette: ['#c3d0de', '#3b4c63', '#ffcf70'] }, 'Двор в Заречном районе утром. Фото читателя'],
  [125, { key: 'live-snow-lugovaya', motif: 'river', palette: ['#cfd9e4', '#41618a', '#f4a259'] }, 'Спуск к набережной по улице Луговой'],
  [152, { key: 'live-snow-market', motif: 'factory', palette: ['#dde5ee', '#3d4a5c', '#e76f51'] }, 'Центральный рынок: ряды под обрушившимся навесом закрыты'],
  [262, { key: 'live-snow-skyline', motif: 'skyline', palette: ['#9fb3c8', '#2f3e52', '#ffd166'] }, 'Проспект Мира в самый сильный снегопад'],
  [333, { key: 'live-snow-bridge', motif: 'bridge', palette: ['#b7c7d9', '#37414d', '#2a9df4'] }, 'Речной мост: движение в сторону центра затруднено'],
  [380, { key: 'live-snow-tram', motif: 'tram', palette: ['#d7e1ea', '#2d3e50', '#e63946'] }, 'Трамвай №3 на Привокзальной площади'],
  [515, { key: 'live-snow-park', motif: 'park', palette: ['#e4edf5', '#2f6b3f', '#f4a259'] }, 'Снежная крепость во дворе на улице Строителей. Кадр из видео читателя'],
];

/** Draws and stores one picture (1200×675, as the demo's covers): an image block as the console's editor makes it. */
async function pictureBlock(app: App, image: Omit<DemoImage, 'kind'>, caption: string) {
  const sharp = await imageLibrary();
  const jpeg = await sharp(Buffer.from(drawDemoImage({ ...image, kind: 'cover' }, 1200, 675))).jpeg({ quality: 85 }).toBuffer();
  const ref = await app.media.store(jpeg, { alt: caption });
  return { type: 'image', data: { file: { url: largestJpeg(ref), imageId: ref.id }, caption, credit: 'Рисунок: демо-данные «Города»' } };
}

const TICKER = [
  'Проверка связи: трансляция идёт, новые записи появляются сами.',
  'На проспекте Мира включили подсветку ёлки у мэрии.',
  'Трамвай №5 идёт по расписанию, интервал 7 минут.',
  'Читатели пишут: у фонтана на Соборной площади залили каток.',
  'Синоптики: ночью до −8, без осадков.',
  'В городском парке открыли прокат коньков до 22:00.',
  'Пробки — 4 балла, плотнее всего на Речном мосту.',
  'В библиотеке имени Чехова начались вечерние чтения.',
];

/** The finished live article of the demo: a day of snowstorm in 40 entries, a day ago. */
export async function seedDemoLive(app: App, sectionId: number, authorIds: number[]): Promise<number> {
  const day = new Date(app.clock.now().getTime() - 30 * 3600_000);
  // 6:00 in the portal's zone.
  day.setUTCMinutes(0, 0, 0);
  const zoneHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: app.config.timezone, hour: 'numeric', hourCycle: 'h23' }).format(day));
  day.setTime(day.getTime() + (6 - zoneHour) * 3600_000);
  // The pictures first: the first is also the article's cover.
  const pictures = new Map<number, Awaited<ReturnType<typeof pictureBlock>>>();
  for (const [minutes, image, caption] of SNOWSTORM_PICTURES) pictures.set(minutes, await pictureBlock(app, image, caption));
  const cover = pictures.get(SNOWSTORM_PICTURES[0]![0])!.data;
  const id = await app.content.createArticle({
    type: 'news',
    status: 'published',
    sectionId,
    coverImageId: cover.file.imageId,
    coverCaption: cover.caption,
    coverCredit: cover.credit,
    title: 'Снегопад в городе: как прошёл день',
    lead: 'Онлайн-трансляция: пробки, транспорт, школы и работа коммунальных служб во время самого сильного снегопада зимы.',
    body: { blocks: [para('Весь день редакция рассказывала, как город переживает снегопад. Главное — в ключевых событиях, все записи — ниже.')] },
    authorIds,
    publishedAt: day,
  });
  // Written while it ran, as the editors would have; the end is set after.
  await app.live.configure(id, { startsAt: day, endsAt: null, order: 'newest' });
  let summary = 0;
  for (const [minutes, title, text, key] of SNOWSTORM) {
    const picture = pictures.get(minutes);
    const blocks = picture ? [para(text), picture] : [para(text)];
    const v = await app.live.add(id, { title, blocks, keyEvent: key, at: new Date(day.getTime() + minutes * 60_000) }, { id: null, displayName: 'Дежурный редактор' });
    if (minutes === 560) summary = v.id;
  }
  await app.live.pin(id, summary, true, { id: null, displayName: 'Дежурный редактор' });
  await app.live.configure(id, { startsAt: day, endsAt: new Date(day.getTime() + 600 * 60_000), order: 'newest' });
  await app.pageCache.purge([`article:${id}`, `live:${id}`, 'home', 'live-now']);
  return id;
}

/** `gorod demo live`: a running live article, an entry every `everyMs`. Returns a stop function. */
export async function startDemoLive(app: App, everyMs = 5000): Promise<{ url: string; stop: () => void }> {
  const [section] = (await app.content.sections()).roots();
  if (!section) throw new Error('no sections: load the demo first (gorod seed)');
  const now = app.clock.now();
  const id = await app.content.createArticle({
    type: 'news',
    status: 'published',
    sectionId: section.id,
    title: 'Онлайн: вечер в городе',
    lead: 'Демонстрационная трансляция: новая запись каждые несколько секунд.',
    body: { blocks: [para('Откройте эту страницу и смотрите, как появляются записи. Прокрутите вниз — появится кнопка «N новых».')] },
    authorIds: [],
    publishedAt: now,
  });
  await app.live.configure(id, { startsAt: now, endsAt: null, order: 'newest' });
  await app.pageCache.purge([`article:${id}`, `live:${id}`, 'home', 'live-now']);
  let n = 0;
  const timer = setInterval(() => {
    const text = TICKER[n % TICKER.length]!;
    n++;
    void app.live
      .add(id, { blocks: [para(text)], keyEvent: n % 5 === 0, title: n % 5 === 0 ? `Запись ${n}` : '' }, { id: null, displayName: 'Демо' })
      .then(() => app.pageCache.purge([`article:${id}`, `live:${id}`]))
      .catch((err: Error) => app.log.warn({ err: err.message }, 'demo live entry not added'));
  }, everyMs);
  const article = await app.content.article(id);
  return { url: article!.url, stop: () => clearInterval(timer) };
}
