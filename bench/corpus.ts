// Generated Russian articles for the search benchmark: city news written by a
// deterministic generator, so every machine indexes the same 20,000 texts. The
// vocabulary is a hand-picked list of real Russian words (nouns, adjectives,
// perfective verbs of a city portal's news); the words are inflected with the
// same OpenCorpora dictionaries the search module uses (the `az` package), with
// agreement in gender, number, case and animacy, so a text holds a word in many
// forms («мост», «моста», «мостом», «мостах») as real news does. The sentences are
// grammatical nonsense of our own; nothing is copied from anywhere.
import { createRequire } from 'node:module';
import path from 'node:path';
import Az from 'az';

// Words of almost every city story: about a quarter of the nouns in a text.
const CORE_NOUNS = `город район улица житель горожанин администрация мэрия год день неделя месяц область сосед власть
центр вопрос проблема ситуация решение результат`;

// The rest: each article takes a dozen of them as its topic, so a word is in a few
// per cent of the texts, as names of things are in a real archive (a query for
// «фабрика» finds hundreds of articles, not half the site).
const NOUNS = `проспект площадь мост дорога тротуар перекрёсток светофор остановка
автобус трамвай троллейбус метро станция вокзал аэропорт поезд электричка маршрут пассажир водитель пешеход авария
пробка ремонт строительство стройка дом здание квартира жилец подъезд двор крыша подвал
отопление водопровод канализация труба котельная электричество свет газ тариф цена рынок магазин торговля предприятие
завод фабрика производство цех рабочий сотрудник зарплата пенсия пенсионер бюджет налог рубль расход доход контракт
подрядчик тендер проект план программа закон постановление депутат совет сессия заседание мэр губернатор
министр министерство чиновник прокуратура суд приговор дело полиция полицейский преступление кража мошенник пожар
пожарный спасатель происшествие больница поликлиника врач пациент лечение болезнь вакцина прививка школа ученик
учитель урок экзамен выпускник университет студент преподаватель наука исследование учёный библиотека музей театр
концерт выставка фестиваль праздник спектакль артист художник книга фильм парк сквер сад дерево ёлка цветок газон
озеро река берег набережная пляж погода мороз снег дождь ветер жара температура синоптик зима весна
утро вечер ночь час спорт команда матч игра футбол хоккей болельщик стадион тренер победа поражение провал
успех рекорд чемпионат турнир соревнование спортсмен медаль бизнес компания инвестор банк кредит ипотека застройщик
новостройка жильё аренда офис технология интернет связь телефон сайт приложение сервис очередь документ заявление
обращение жалоба проверка нарушение штраф камера сигнал видео фотография газета журналист редакция новость интервью
мнение ответ причина итог событие встреча собрание опрос голосование кандидат
партия общество семья ребёнок родитель мать отец молодёжь волонтёр помощь поддержка собака кошка животное
приют мусор отход свалка экология воздух вода лес поле огород урожай фермер дача участок граница территория
окраина посёлок село край страна столица история памятник юбилей традиция
автомобиль велосипед самокат парковка шлагбаум эвакуатор развязка эстакада тоннель путепровод асфальт яма бордюр
разметка знак шоссе трасса объезд переход фонарь освещение лифт домофон капремонт фасад балкон окно стена забор
площадка качели горка каток лыжня бассейн спортзал гимназия лицей колледж техникум кафедра диплом стипендия
олимпиада кружок секция лагерь каникулы роддом аптека лекарство диагноз операция хирург терапевт медсестра госпиталь
томограф анализ грипп эпидемия карантин маска вирус донор кровь ветеринар зоопарк цирк филармония оркестр хор балет
опера режиссёр актёр певец музыкант поэт писатель премьера гастроли афиша билет зритель экскурсия экспонат
реставрация архив краевед собор храм церковь мечеть колокол икона купол прокурор следователь адвокат судья свидетель
обвинение арест обыск угон грабёж драка хулиган взятка коррупция расследование розыск пропажа находка спасение
лодка катер паром пристань причал плотина водохранилище наводнение паводок ледоход гололёд метель сугроб оттепель
ураган гроза град засуха смог выброс комбинат шахта карьер нефть уголь металл станок продукция экспорт импорт склад
доставка курьер посылка почта субсидия пособие льгота скидка акция распродажа ярмарка киоск павильон торговец
покупатель продавец кафе ресторан столовая повар меню пекарня хлеб молоко мясо овощ фрукт ягода гриб рыба рыбак
охотник турист гостиница отель экскурсовод маршрутка такси таксист перевозчик кондуктор вагон рельс депо перрон
подстанция трансформатор отключение прорыв утечка счётчик квитанция долг должник банкротство акционер биржа валюта
курс инфляция вакансия безработица резюме стажёр робот дрон нейросеть сеть вышка антенна спутник`;

const ADJECTIVES = `новый старый городской районный областной местный главный большой маленький крупный первый последний
важный дорогой дешёвый бесплатный платный общественный частный муниципальный федеральный региональный зимний летний
весенний осенний ночной утренний вечерний сильный слабый высокий низкий быстрый долгий короткий длинный широкий узкий
тёплый холодный горячий красивый современный капитальный срочный плановый аварийный опасный безопасный детский
школьный студенческий спортивный культурный исторический жилой пешеходный транспортный коммунальный социальный
медицинский научный экономический финансовый строительный дорожный бюджетный ежегодный новогодний центральный
северный южный западный восточный официальный независимый серьёзный сложный простой успешный неудачный громкий тихий
молодой пожилой известный`;

const VERBS = `открыть закрыть построить отремонтировать начать закончить завершить объявить утвердить принять отменить
перенести обсудить рассмотреть получить выделить потратить сэкономить увеличить сократить повысить снизить изменить
проверить выявить обнаружить найти потерять показать представить подготовить провести организовать запустить
остановить восстановить заменить установить убрать очистить согласовать подписать одобрить поддержать раскритиковать
предложить выполнить сорвать продать купить заказать оплатить вернуть спасти задержать оштрафовать наградить
пригласить встретить посетить осмотреть благоустроить расширить снести перекрыть`;

// Prepositions with the case they govern.
const PREPOSITIONS: [string, Case][] = [
  ['в', 'loct'], ['на', 'loct'], ['о', 'loct'], ['из', 'gent'], ['для', 'gent'], ['после', 'gent'], ['без', 'gent'],
  ['возле', 'gent'], ['у', 'gent'], ['с', 'ablt'], ['над', 'ablt'], ['под', 'ablt'], ['перед', 'ablt'], ['за', 'ablt'],
  ['к', 'datv'], ['по', 'datv'], ['благодаря', 'datv'],
];
const OPENERS = ['По словам', 'По данным', 'По мнению', 'Как сообщили в пресс-службе', 'Как рассказал корреспонденту', 'Судя по'];
const OPENER_CASE: Record<string, Case> = { 'По словам': 'gent', 'По данным': 'gent', 'По мнению': 'gent', 'Как сообщили в пресс-службе': 'gent', 'Как рассказал корреспонденту': 'nomn', 'Судя по': 'datv' };
const CLOSERS = ['сообщили в мэрии', 'рассказали в администрации района', 'уточнили в пресс-службе', 'говорится в сообщении ведомства', 'отметили жители'];

type Case = 'nomn' | 'gent' | 'datv' | 'accs' | 'ablt' | 'loct';
type Num = 'sing' | 'plur';
type Gender = 'masc' | 'femn' | 'neut';
const CASES: Case[] = ['nomn', 'gent', 'datv', 'accs', 'ablt', 'loct'];

interface Parse {
  parser: string;
  tag: Record<string, unknown>;
  inflect(grammemes: string[]): { word: string } | undefined;
}
const morph = (word: string) => (Az.Morph as unknown as (w: string) => Parse[])(word).filter((p) => p.parser === 'Dictionary');

interface Noun {
  gender: Gender;
  anim: 'anim' | 'inan';
  forms: Record<Num, Record<Case, string>>;
}
interface Adjective {
  /** key: `${gender or plur} ${case} ${anim}` */
  form(n: Noun, num: Num, c: Case): string;
}
interface Verb {
  past: Record<Gender | 'plur', string>;
  future: Record<Num, string>;
}

interface Vocabulary {
  core: Noun[];
  nouns: Noun[];
  adjectives: Adjective[];
  verbs: Verb[];
}

const list = (text: string) => text.split(/\s+/).filter(Boolean);

function nounsOf(text: string): Noun[] {
  const nouns: Noun[] = [];
  for (const lemma of new Set(list(text))) {
    const p = morph(lemma).find((x) => x.tag.NOUN);
    if (!p) continue;
    const gender = (['masc', 'femn', 'neut'] as Gender[]).find((g) => p.tag[g]) ?? 'masc';
    const forms = { sing: {}, plur: {} } as Noun['forms'];
    for (const num of ['sing', 'plur'] as Num[]) {
      for (const c of CASES) forms[num][c] = p.inflect([c, num])?.word ?? p.inflect([c])?.word ?? lemma;
    }
    nouns.push({ gender, anim: p.tag.anim ? 'anim' : 'inan', forms });
  }
  return nouns;
}

function buildVocabulary(): Vocabulary {
  const core = nounsOf(CORE_NOUNS);
  const nouns = nounsOf(NOUNS);
  const adjectives: Adjective[] = [];
  for (const lemma of list(ADJECTIVES)) {
    const p = morph(lemma).find((x) => x.tag.ADJF);
    if (!p) continue;
    const cache = new Map<string, string>();
    adjectives.push({
      form(n, num, c) {
        const key = `${num === 'plur' ? 'plur' : n.gender} ${c} ${n.anim}`;
        let w = cache.get(key);
        if (w === undefined) {
          const grammemes = num === 'plur' ? ['plur', c] : [n.gender, 'sing', c];
          if (c === 'accs' && (num === 'plur' || n.gender === 'masc')) grammemes.push(n.anim);
          w = p.inflect(grammemes)?.word ?? p.inflect(grammemes.slice(0, -1))?.word ?? lemma;
          cache.set(key, w);
        }
        return w;
      },
    });
  }
  const verbs: Verb[] = [];
  for (const lemma of list(VERBS)) {
    const p = morph(lemma).find((x) => x.tag.INFN && x.tag.perf);
    if (!p) continue;
    const f = (g: string[]) => p.inflect(g)?.word;
    const past = { masc: f(['past', 'masc']), femn: f(['past', 'femn']), neut: f(['past', 'neut']), plur: f(['past', 'plur']) };
    const future = { sing: f(['futr', '3per', 'sing']), plur: f(['futr', '3per', 'plur']) };
    if (Object.values(past).every(Boolean) && future.sing && future.plur) verbs.push({ past: past as Verb['past'], future: future as Verb['future'] });
  }
  return { core, nouns, adjectives, verbs };
}

/** mulberry32: a small seeded generator, the same sequence on every machine (the articles and the forum). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedArticle {
  type: 'news' | 'opinion' | 'feature';
  title: string;
  lead: string;
  paragraphs: string[];
}

let vocabulary: Vocabulary | undefined;

const require = createRequire(import.meta.url);

export async function loadVocabulary(): Promise<{ nouns: number; adjectives: number; verbs: number }> {
  if (!vocabulary) await new Promise<void>((resolve, reject) => {
    const dicts = path.join(path.dirname(require.resolve('az/package.json')), 'dicts');
    Az.Morph.init(dicts, (err?: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()));
  });
  vocabulary ??= buildVocabulary();
  return { nouns: vocabulary.core.length + vocabulary.nouns.length, adjectives: vocabulary.adjectives.length, verbs: vocabulary.verbs.length };
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Article number `n` of the corpus: the same text for the same n everywhere. Call loadVocabulary() first. */
export function generateArticle(n: number): GeneratedArticle {
  const v = vocabulary;
  if (!v) throw new Error('generateArticle: call loadVocabulary() first');
  const random = rng(0x9e3779b9 ^ (n * 2654435761));
  // Squaring skews a choice towards the start of its list: a few words are
  // frequent and most are rare, as in real text.
  const pick = <T,>(xs: T[], skew = true): T => xs[Math.floor((skew ? random() ** 2 : random()) * xs.length)]!;
  const chance = (p: number) => random() < p;
  // The article's topic: a dozen nouns, a few adjectives and verbs it keeps coming back to.
  const some = <T,>(xs: T[], n: number) => Array.from({ length: n }, () => xs[Math.floor(random() * xs.length)]!);
  const topic = { nouns: some(v.nouns, 12), adjectives: some(v.adjectives, 8), verbs: some(v.verbs, 8) };
  const noun = () => (chance(0.25) ? pick(v.core) : chance(0.9) ? pick(topic.nouns, false) : pick(v.nouns, false));
  const adjective = () => (chance(0.8) ? pick(topic.adjectives, false) : pick(v.adjectives));
  const verbOf = () => (chance(0.8) ? pick(topic.verbs, false) : pick(v.verbs));

  const phrase = (c: Case, num: Num = chance(0.3) ? 'plur' : 'sing') => {
    const head = noun();
    const words = chance(0.6) ? [adjective().form(head, num, c), head.forms[num][c]] : [head.forms[num][c]];
    if (chance(0.25)) words.push(noun().forms[chance(0.3) ? 'plur' : 'sing'].gent);
    return { noun: head, num, text: words.join(' ') };
  };
  const prepositional = () => {
    const [prep, c] = pick(PREPOSITIONS, false);
    const p = phrase(c);
    const word = prep === 'о' && /^[аеиоуэ]/.test(p.text) ? 'об' : prep === 'с' && /^с[^аеёиоуыэюя]/.test(p.text) ? 'со' : prep;
    return `${word} ${p.text}`;
  };
  const clause = () => {
    const subject = phrase('nomn');
    const verb = verbOf();
    const future = chance(0.3);
    const predicate = future ? verb.future[subject.num] : verb.past[subject.num === 'plur' ? 'plur' : subject.noun.gender];
    const parts = [subject.text, predicate, phrase('accs').text];
    if (chance(0.6)) parts.push(prepositional());
    return parts.join(' ');
  };
  const sentence = () => {
    const r = random();
    let s: string;
    if (r < 0.2) {
      const opener = pick(OPENERS, false);
      s = `${opener} ${phrase(OPENER_CASE[opener]!).text}, ${clause()}`;
    } else if (r < 0.35) s = `${prepositional()} ${clause()}`;
    else if (r < 0.5) s = `${clause()}, ${pick(CLOSERS, false)}`;
    else if (r < 0.6) s = `${clause()}, а ${clause()}`;
    else s = clause();
    return `${capitalize(s)}.`;
  };

  const type = chance(0.8) ? 'news' : chance(0.6) ? 'opinion' : 'feature';
  const title = capitalize(chance(0.5) ? clause() : `${prepositional()} ${clause()}`);
  const lead = [sentence(), ...(chance(0.5) ? [sentence()] : [])].join(' ');
  const paragraphs = Array.from({ length: 5 + Math.floor(random() * 7) }, () => Array.from({ length: 2 + Math.floor(random() * 4) }, sentence).join(' '));
  return { type, title: title.slice(0, 200), lead, paragraphs };
}
