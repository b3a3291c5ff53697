// The demo classifieds (issue 13): our own texts and drawn photos — private ads in
// every top category, six storefronts (a fashion factory, a furniture workshop, a
// car dealer, an estate agency, a pet shop, an electronics repair shop), one
// operator running three of them (the seed story: the factories were not ready to
// sell online, an operator ran their store), and leads over the last 60 days so
// every chart has data. Everything goes in through the classifieds' service.
import type { App } from '../src/types.js';
import { imageLibrary } from '../src/modules/media/index.js';
import { randomToken } from '../src/platform/secrets.js';
import type { AdInput } from '../src/modules/classifieds/index.js';
import { drawDemoImage } from './images.js';
import type { DemoImage } from './data/types.js';

const DAY = 86_400_000;
type Motif = DemoImage['motif'];
type Item = { title: string; description: string; price?: number | null; salary?: [number, number]; fields: Record<string, unknown> };

const PALETTES: [string, string, string][] = [
  ['#1f3b57', '#e0a040', '#f4efe6'],
  ['#2d4a2b', '#b5c99a', '#f1f5e9'],
  ['#5a2a27', '#d98c5f', '#fbeee4'],
  ['#23304a', '#7aa5d2', '#eef3f9'],
  ['#3d3d3d', '#c9a227', '#f7f3e8'],
];

function rnd(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

// Word lists the ads are made from: each ad a different combination.
const BRAND: Record<string, string> = { lada: 'Лада', kia: 'Kia', hyundai: 'Hyundai', toyota: 'Toyota', volkswagen: 'Volkswagen', skoda: 'Škoda', renault: 'Renault', haval: 'Haval', chery: 'Chery', bmw: 'BMW' };
const CARS: [string, string, number][] = [['lada', 'Vesta', 650_000], ['kia', 'Rio', 900_000], ['hyundai', 'Solaris', 950_000], ['toyota', 'Camry', 2_300_000], ['volkswagen', 'Polo', 1_000_000], ['skoda', 'Octavia', 1_400_000], ['renault', 'Logan', 550_000], ['haval', 'Jolion', 1_900_000], ['chery', 'Tiggo 7', 2_100_000], ['bmw', 'X3', 3_500_000]];
const COLOURS = ['white', 'black', 'silver', 'grey', 'red', 'blue'];
const BODIES = ['sedan', 'hatchback', 'wagon', 'suv'];
const STREETS = ['Ленина', 'Мира', 'Садовой', 'Заводской', 'Набережной', 'Советской', 'Гагарина', 'Лесной'];

function privateItems(r: () => number): Record<string, Item[]> {
  const pick = <T,>(list: T[]) => list[Math.floor(r() * list.length)]!;
  const out: Record<string, Item[]> = { cars: [], flats: [], rooms: [], houses: [], vacancies: [], resumes: [], services: [], personal: [], electronics: [], home: [], animals: [] };
  for (let i = 0; i < 26; i++) {
    const [make, model, base] = pick(CARS);
    const year = 2008 + Math.floor(r() * 17);
    const mileage = Math.max(1000, (2025 - year) * (9000 + Math.floor(r() * 9000)));
    out.cars!.push({ title: `${BRAND[make]} ${model}, ${year}`, description: `Машина в личном пользовании${r() > 0.5 ? ', один владелец' : ''}. Пробег ${mileage.toLocaleString('ru-RU')} км, обслуживание по регламенту.\nЗимняя резина в подарок. Торг у капота.`, price: Math.round((base * (0.6 + (year - 2008) / 30)) / 10_000) * 10_000, fields: { make, model, year, mileage, engine: [1.4, 1.6, 2.0, 2.5][Math.floor(r() * 4)], transmission: pick(['manual', 'automatic', 'robot', 'cvt']), body: pick(BODIES), colour: pick(COLOURS), features: ['abs', ...(r() > 0.5 ? ['climate'] : []), ...(r() > 0.6 ? ['heated'] : [])] } });
  }
  for (let i = 0; i < 22; i++) {
    const rooms = 1 + Math.floor(r() * 4);
    const rent = r() > 0.6;
    const area = 28 + rooms * 14 + Math.floor(r() * 10);
    const floors = pick([5, 9, 10, 16, 17]);
    out.flats!.push({ title: `${rooms}-комнатная квартира, ${area} м², ${rent ? 'аренда' : 'продажа'}`, description: `Квартира на улице ${pick(STREETS)}, ${1 + Math.floor(r() * floors)}-й этаж ${floors}-этажного дома. ${rent ? 'Сдаётся на длительный срок, без животных.' : 'Документы готовы, один собственник.'}\nРядом школа, детский сад и остановка.`, price: rent ? 15_000 + rooms * 6000 : 2_500_000 + area * 70_000, fields: { deal: rent ? 'rent' : 'sale', rooms, area, floor: 1 + Math.floor(r() * floors), floors, built: 1965 + Math.floor(r() * 58) } });
  }
  for (let i = 0; i < 5; i++) out.rooms!.push({ title: `Комната ${12 + i * 2} м² у ${pick(['университета', 'вокзала', 'парка', 'рынка'])}`, description: `Светлая комната в квартире на двоих соседей. Мебель есть, интернет проведён.\nСтуденты и работающие — добро пожаловать.`, price: 8000 + i * 1000, fields: { deal: 'rent', area: 12 + i * 2 } });
  for (let i = 0; i < 6; i++) out.houses!.push({ title: `${r() > 0.5 ? 'Дом' : 'Дача'} ${40 + i * 15} м² на участке ${6 + i * 2} сот.`, description: `Участок ровный, плодовые деревья, баня. До города ${10 + i * 5} минут на машине.\nСвет круглый год, ${i % 2 ? 'газ по улице' : 'газ в доме'}.`, price: 900_000 + i * 450_000, fields: { deal: 'sale', area: 40 + i * 15, land: 6 + i * 2, gas: i % 2 === 0 } });
  const jobs = [['Продавец-консультант', 45_000, 60_000], ['Водитель категории C', 70_000, 95_000], ['Повар в столовую', 50_000, 65_000], ['Кладовщик', 48_000, 58_000], ['Бухгалтер на первичку', 55_000, 70_000], ['Курьер на автомобиле', 60_000, 90_000]] as const;
  for (const [t, a, b] of jobs) out.vacancies!.push({ title: t, description: `Официальное оформление, белая зарплата два раза в месяц. График обсуждается на собеседовании.\nЗвоните или пишите через сайт.`, salary: [a, b], fields: { schedule: pick(['full', 'shift', 'part']), experience: pick(['none', '1', '3']) } });
  for (let i = 0; i < 4; i++) out.resumes!.push({ title: pick(['Электрик', 'Администратор', 'Менеджер по продажам', 'Няня']) + ` с опытом ${2 + i} лет`, description: `Ответственный, без вредных привычек. Рекомендации с прошлых мест работы.\nГотов приступить сразу.`, salary: [40_000 + i * 10_000, 60_000 + i * 10_000], fields: { schedule: pick(['full', 'part', 'remote']), age: 22 + i * 7 } });
  const services = [['repair', 'Ремонт квартир под ключ'], ['transport', 'Грузоперевозки по городу'], ['tutoring', 'Репетитор по математике'], ['beauty', 'Маникюр на дому'], ['repair', 'Сантехник: быстро и аккуратно'], ['tutoring', 'Английский для школьников']] as const;
  for (const [kind, t] of services) out.services!.push({ title: t, description: `Работаю ${3 + Math.floor(r() * 10)} лет, гарантия на работу. Выезд в любой район города.\nЦена — после осмотра.`, price: null, fields: { kind, since: `20${10 + Math.floor(r() * 14)}-0${1 + Math.floor(r() * 8)}-15` } });
  const things = [['clothes', 'Пуховик женский', '46'], ['shoes', 'Ботинки зимние', '42'], ['kids', 'Комбинезон детский', '98'], ['bags', 'Кожаная сумка', ''], ['clothes', 'Костюм мужской', '50'], ['kids', 'Коляска 2 в 1', '']] as const;
  for (const [kind, t, size] of things) out.personal!.push({ title: t, description: `Носили один сезон, состояние отличное. Отдам вместе с коробкой.\nСамовывоз, район ${pick(['центра', 'вокзала', 'рынка'])}.`, price: 1500 + Math.floor(r() * 40) * 100, fields: { kind, ...(size ? { size } : {}), condition: 'used' } });
  const gadgets = [['phone', 'Смартфон, 128 ГБ'], ['laptop', 'Ноутбук для учёбы'], ['tv', 'Телевизор 43 дюйма'], ['audio', 'Беспроводные наушники'], ['photo', 'Фотоаппарат с объективом'], ['phone', 'Смартфон, 256 ГБ']] as const;
  for (const [kind, t] of gadgets) out.electronics!.push({ title: t, description: `Полностью исправен, без царапин. Полный комплект, чек сохранился.\nПроверка при встрече.`, price: 5000 + Math.floor(r() * 60) * 500, fields: { kind, condition: r() > 0.7 ? 'new' : 'used', warranty: r() > 0.5 } });
  const home = [['furniture', 'Шкаф-купе', 180], ['appliances', 'Стиральная машина', 60], ['garden', 'Теплица из поликарбоната', 300], ['repair', 'Остатки ламината', 0], ['furniture', 'Обеденный стол', 120]] as const;
  for (const [kind, t, width] of home) out.home!.push({ title: t, description: `Отдаём в связи с переездом. Состояние хорошее.\nПомогу погрузить.`, price: 2000 + Math.floor(r() * 80) * 100, fields: { kind, condition: 'used', ...(width ? { width } : {}) } });
  const pets = [['cats', 'Котята в добрые руки'], ['dogs', 'Щенки лабрадора'], ['birds', 'Волнистые попугаи'], ['other', 'Аквариум с рыбками'], ['dogs', 'Щенок овчарки']] as const;
  for (const [kind, t] of pets) out.animals!.push({ title: t, description: `Привиты по возрасту, приучены к лотку. Покажем родителей.\nТолько в ответственные руки.`, price: kind === 'cats' ? 0 : 3000 + Math.floor(r() * 20) * 500, fields: { kind, age: 2 + Math.floor(r() * 6), pedigree: kind === 'dogs' } });
  return out;
}

const SHOPS = [
  { slug: 'fabrika-zarya', name: 'Швейная фабрика «Заря»', motif: 'factory' as Motif, description: 'Шьём верхнюю одежду с 1968 года. Пуховики, пальто и куртки собственного производства — с фабрики, без наценки магазинов.', address: 'ул. Заводская, 12', hours: 'пн–пт 9:00–18:00', inn: '7707083893', operated: true, items: 'clothes' },
  { slug: 'masterskaya-dub', name: 'Мебельная мастерская «Дуб»', motif: 'park' as Motif, description: 'Столы, шкафы и кухни из массива на заказ. Замер и доставка по городу бесплатно.', address: 'ул. Лесная, 4, цех 2', hours: 'пн–сб 10:00–19:00', inn: '500100732259', operated: true, items: 'furniture' },
  { slug: 'avtocentr-sever', name: 'Автоцентр «Север»', motif: 'bridge' as Motif, description: 'Новые и подержанные автомобили с гарантией, трейд-ин, кредит. Каждая машина проходит диагностику.', address: 'Северное шоссе, 21', hours: 'ежедневно 9:00–21:00', inn: '7736207543', operated: false, items: 'cars' },
  { slug: 'an-kvartal', name: 'Агентство недвижимости «Квартал»', motif: 'skyline' as Motif, description: 'Продажа и аренда квартир, юридическая проверка, сопровождение сделки.', address: 'пр. Мира, 30, офис 5', hours: 'пн–пт 9:00–19:00', inn: '7710140679', operated: false, items: 'flats' },
  { slug: 'hleb-i-sol', name: 'Пекарня «Хлеб и соль»', motif: 'tram' as Motif, description: 'Городская пекарня ищет сотрудников: пекари, продавцы, водители. Обучаем с нуля.', address: 'ул. Садовая, 8', hours: 'ежедневно 7:00–20:00', inn: '7702070139', operated: true, items: 'jobs' },
  { slug: 'remont-tehniki', name: 'Сервис «Починим»', motif: 'chart' as Motif, description: 'Ремонт телефонов и ноутбуков за день, продажа восстановленной техники с гарантией.', address: 'ул. Гагарина, 15', hours: 'пн–сб 10:00–20:00', inn: '', operated: false, items: 'gadgets' },
];

function shopItems(kind: string, r: () => number): { slug: string; item: Item }[] {
  const n = 10;
  const out: { slug: string; item: Item }[] = [];
  for (let i = 0; i < n; i++) {
    if (kind === 'clothes') out.push({ slug: 'personal', item: { title: `${['Пуховик', 'Пальто', 'Куртка', 'Парка'][i % 4]} «${['Север', 'Метель', 'Иней', 'Полярный'][i % 4]}», модель ${2024 + (i % 2)}`, description: `Собственное производство фабрики. Утеплитель — био-пух, ткань не продувается.\nРазмеры с 42 по 56, примерка в цехе.`, price: 6900 + i * 700, fields: { kind: 'clothes', size: `${42 + (i % 8) * 2}`, condition: 'new' } } });
    if (kind === 'furniture') out.push({ slug: 'home', item: { title: `${['Стол обеденный', 'Шкаф', 'Кровать', 'Комод', 'Скамья'][i % 5]} из массива дуба`, description: `Делаем по вашим размерам за 3–4 недели. Покрытие маслом или лаком на выбор.\nДоставка и сборка бесплатно.`, price: 18_000 + i * 4000, fields: { kind: 'furniture', condition: 'new', width: 80 + i * 20 } } });
    if (kind === 'cars') {
      const [make, model, base] = CARS[i % CARS.length]!;
      const year = 2018 + (i % 7);
      out.push({ slug: 'cars', item: { title: `${BRAND[make]} ${model}, ${year}, с гарантией`, description: `Автомобиль прошёл диагностику по 120 пунктам. Гарантия 1 год, трейд-ин.\nКредит от 4,9 %.`, price: Math.round(base * (0.8 + (year - 2018) / 20) / 10_000) * 10_000, fields: { make, model, year, mileage: (2025 - year) * 15_000 + 500, engine: 1.6, transmission: 'automatic', body: BODIES[i % 4], colour: COLOURS[i % 6], features: ['abs', 'climate', 'camera'] } } });
    }
    if (kind === 'flats') {
      const rooms = 1 + (i % 4);
      out.push({ slug: 'flats', item: { title: `${rooms}-комнатная квартира в новостройке, ${34 + rooms * 15} м²`, description: `Чистая продажа, ипотека, материнский капитал. Юрист агентства проверит документы.\nПоказ в удобное время.`, price: 3_200_000 + rooms * 1_300_000 + i * 50_000, fields: { deal: 'sale', rooms, area: 34 + rooms * 15, floor: 2 + i, floors: 17, built: 2023 } } });
    }
    if (kind === 'jobs' && i < 5) out.push({ slug: 'vacancies', item: { title: ['Пекарь', 'Продавец в пекарню', 'Водитель-экспедитор', 'Кондитер', 'Уборщица'][i]!, description: `Пекарня «Хлеб и соль». Официальное оформление, обучение, бесплатные обеды.\nГрафик сменный.`, salary: [45_000 + i * 5000, 65_000 + i * 5000], fields: { schedule: 'shift', experience: 'none' } } });
    if (kind === 'gadgets') out.push({ slug: 'electronics', item: { title: `${['Смартфон восстановленный', 'Ноутбук после ремонта', 'Планшет'][i % 3]} — гарантия 6 месяцев`, description: `Проверен мастерами сервиса, новый аккумулятор. Гарантия по чеку.\nПримем старую технику в зачёт.`, price: 7000 + i * 1500, fields: { kind: i % 3 === 1 ? 'laptop' : 'phone', condition: 'used', warranty: true } } });
  }
  return out;
}

const OWNERS = ['Галина Зорина', 'Сергей Морозов', 'Вера Нестерова', 'Олег Крылов', 'Инна Ларина', 'Борис Титов'];
const MOTIFS: Record<string, Motif> = { cars: 'bridge', flats: 'skyline', rooms: 'skyline', houses: 'park', vacancies: 'factory', resumes: 'portrait', services: 'tram', personal: 'snow', electronics: 'chart', home: 'park', animals: 'river' };

export async function seedDemoClassifieds(app: App): Promise<{ ads: number; storefronts: number }> {
  const svc = app.classifieds;
  await svc.installDefaults();
  if ((await svc.finding.fresh(1)).length) return { ads: 0, storefronts: 0 };
  const cat = await svc.catalogue();
  const r = rnd(13);
  const sharp = await imageLibrary();
  const now = app.clock.now().getTime();
  let photoN = 0;
  async function photo(userId: number, motif: Motif): Promise<number> {
    const image: DemoImage = { key: `ad-${++photoN}`, kind: 'cover', palette: PALETTES[photoN % PALETTES.length]!, motif };
    const jpeg = await sharp(Buffer.from(drawDemoImage(image, 480, 360))).jpeg({ quality: 82 }).toBuffer();
    const stored = await app.media.store(jpeg, { createdBy: userId });
    // A drawn picture's fingerprint is its key: the demo has no duplicates to catch.
    await svc.addUpload(stored.id, userId, '');
    return stored.id;
  }
  const user = async (email: string, name: string) => (await app.accounts.createUser({ email, password: randomToken(12), displayName: name, role: 'reader' })).id;
  const session = (id: number, name: string) => ({ id, email: '', displayName: name, role: 'reader' as const, sessionId: '' }) as never;
  let count = 0;
  async function post(userId: number, name: string, slug: string, item: Item, organisationId: number | null, phone: string, withPhoto: boolean) {
    const c = cat.bySlug.get(slug)!;
    const input: AdInput = {
      categoryId: c.id,
      title: item.title,
      description: item.description,
      price: item.price === undefined || item.price === null ? null : item.price,
      negotiable: item.price === null || item.price === undefined,
      salaryFrom: item.salary?.[0] ?? null,
      salaryTo: item.salary?.[1] ?? null,
      districtId: cat.districts[Math.floor(r() * cat.districts.length)]!.id,
      phone,
      fields: item.fields,
      photos: withPhoto ? [await photo(userId, MOTIFS[slug] ?? 'skyline')] : [],
    };
    const ad = await svc.ads.create({ user: session(userId, name), ipHash: 'demo', organisationId }, input);
    if (ad.status === 'moderation') await svc.ads.decide(ad.id, 'approve');
    await svc.ads.backdate(ad.id, new Date(now - Math.floor(r() * 58 * DAY) - 3600_000));
    count++;
    return (await svc.ads.byId(ad.id))!;
  }

  // Private sellers: a few dozen neighbours, each with a handful of ads.
  const people = ['Ольга Смирнова', 'Игорь Петров', 'Марина Котова', 'Алексей Воронин', 'Светлана Юдина', 'Павел Белов', 'Нина Орлова', 'Дмитрий Зуев', 'Елена Гусева', 'Артём Лисин', 'Татьяна Коваль', 'Роман Сизов'];
  const sellers: { id: number; name: string; phone: string }[] = [];
  for (const [i, name] of people.entries()) sellers.push({ id: await user(`obyavleniya-${i + 1}@demo.gorod`, name), name, phone: `+7912${String(1000000 + i * 7919).slice(0, 7)}` });
  const items = privateItems(r);
  let k = 0;
  for (const [slug, list] of Object.entries(items)) {
    for (const item of list) {
      const s = sellers[k++ % sellers.length]!;
      await post(s.id, s.name, slug, item, null, s.phone, r() > 0.15);
    }
  }

  // Storefronts: the operator runs the factory, the workshop and the bakery for them.
  const operator = await user('operator@demo.gorod', 'Анна Ким (оператор витрин)');
  const shopAds: { ad: Awaited<ReturnType<typeof post>>; shop: number }[] = [];
  for (const [i, s] of SHOPS.entries()) {
    const owner = s.operated ? operator : await user(`vitrina-${i + 1}@demo.gorod`, OWNERS[i % OWNERS.length]!);
    const shop = await svc.storefronts.create({ slug: s.slug, name: s.name, description: s.description, address: s.address, hours: s.hours, phone: `+7 3452 ${String(200000 + i * 1111).slice(0, 6)}`, inn: s.inn || null }, owner);
    if (s.inn && i % 2 === 0) await svc.storefronts.verify(shop.id, owner, true, 'Проверено по ЕГРЮЛ (демо)');
    const logo = await photo(owner, s.motif);
    await svc.storefronts.update(shop.id, { logoId: logo });
    for (const { slug, item } of shopItems(s.items, r)) shopAds.push({ ad: await post(owner, s.name, slug, item, shop.id, `+7912${String(5000000 + i * 104729).slice(0, 7)}`, true), shop: shop.id });
  }

  // Leads over 60 days: views most days, now and then a reveal, a conversation, a favourite;
  // the bakery has had none for six weeks (the operator's «нет обращений 30 дней»).
  const quiet = (await svc.storefronts.bySlug('hleb-i-sol'))!.id;
  for (const { ad, shop } of shopAds) {
    for (let d = 59; d >= 0; d--) {
      const at = new Date(now - d * DAY);
      if (at.getTime() < ad.created_at.getTime()) continue;
      const views = Math.floor(r() * 9);
      if (views) {
        await svc.leads.bump(ad, 'views', at, views);
        await svc.leads.bump(ad, 'uniques', at, Math.max(1, views - Math.floor(r() * 3)));
      }
      if (shop === quiet && d < 42) continue;
      if (r() < 0.12) await svc.leads.bump(ad, 'reveals', at);
      if (r() < 0.07) {
        await svc.leads.bump(ad, 'conversations', at);
        await svc.leads.answered(shop, operator, (5 + Math.floor(r() * 120)) * 60_000, at);
      }
      if (r() < 0.04) await svc.leads.bump(ad, 'favourites', at);
    }
  }
  await app.pageCache.purge(['ads']);
  return { ads: count, storefronts: SHOPS.length };
}
