// The category tree and the districts: read once into memory (the data cache keeps
// them; a back-office change purges `ads-catalogue`), and the tree a new portal
// starts with — the categories, each leaf with its typed fields.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { DomainError } from '../../platform/errors.js';
import type { FieldType, Option, PriceKind } from './schema.js';
import './schema.js';

export interface Field {
  id: number;
  categoryId: number;
  code: string;
  label: string;
  type: FieldType;
  unit: string;
  required: boolean;
  searchable: boolean;
  rangeSearchable: boolean;
  min: number | null;
  max: number | null;
  options: Option[];
  position: number;
  slot: number | null;
  retired: boolean;
}
export interface Category {
  id: number;
  parentId: number | null;
  slug: string;
  title: string;
  position: number;
  maxPhotos: number;
  lifetimeDays: number;
  premoderation: boolean;
  businessVerified: boolean;
  priceKind: PriceKind;
  /** Live fields first by position; retired ones are kept for the values ads hold. */
  fields: Field[];
  children: Category[];
}
export interface District {
  id: number;
  slug: string;
  title: string;
  /** Archived in the back office: kept on old ads, never offered for a new one. */
  archived: boolean;
}
export interface Catalogue {
  roots: Category[];
  byId: Map<number, Category>;
  bySlug: Map<string, Category>;
  /** Every district in order, archived ones too (old ads still name them). */
  districts: District[];
  /** The districts a new ad may name. */
  liveDistricts: District[];
  districtById: Map<number, District>;
  districtBySlug: Map<string, District>;
  /** The leaves under a category (itself when it is a leaf). */
  leavesOf(id: number): Category[];
}

export const isLeaf = (c: Category) => c.children.length === 0;

export async function loadCatalogue(db: Kysely<DB>): Promise<Catalogue> {
  const [cats, fields, districts] = await Promise.all([
    db.selectFrom('ad_categories').selectAll().orderBy('position').orderBy('id').execute(),
    db.selectFrom('ad_fields').selectAll().orderBy('position').orderBy('id').execute(),
    db.selectFrom('ad_districts').selectAll().orderBy('position').orderBy('id').execute(),
  ]);
  const byId = new Map<number, Category>();
  for (const c of cats) {
    byId.set(c.id, {
      id: c.id,
      parentId: c.parent_id,
      slug: c.slug,
      title: c.title,
      position: c.position,
      maxPhotos: c.max_photos,
      lifetimeDays: c.lifetime_days,
      premoderation: c.premoderation,
      businessVerified: c.business_verified,
      priceKind: c.price_kind,
      fields: [],
      children: [],
    });
  }
  for (const f of fields) {
    byId.get(f.category_id)?.fields.push({
      id: f.id,
      categoryId: f.category_id,
      code: f.code,
      label: f.label,
      type: f.type,
      unit: f.unit,
      required: f.required,
      searchable: f.searchable,
      rangeSearchable: f.range_searchable,
      min: f.min_value,
      max: f.max_value,
      options: f.options,
      position: f.position,
      slot: f.slot,
      retired: f.retired,
    });
  }
  const roots: Category[] = [];
  for (const c of byId.values()) (c.parentId !== null ? byId.get(c.parentId)?.children : roots)?.push(c);
  const list = districts.map((d) => ({ id: d.id, slug: d.slug, title: d.title, archived: d.archived_at !== null }));
  return {
    roots,
    byId,
    bySlug: new Map([...byId.values()].map((c) => [c.slug, c])),
    districts: list,
    liveDistricts: list.filter((d) => !d.archived),
    districtById: new Map(list.map((d) => [d.id, d])),
    districtBySlug: new Map(list.map((d) => [d.slug, d])),
    leavesOf(id) {
      const c = byId.get(id);
      if (!c) return [];
      const out: Category[] = [];
      const walk = (x: Category) => (x.children.length ? x.children.forEach(walk) : out.push(x));
      walk(c);
      return out;
    },
  };
}

// ---------- the tree a new portal starts with ----------

type SeedField = { code: string; label: string; type: FieldType; unit?: string; required?: boolean; searchable?: boolean; range?: boolean; min?: number; max?: number; options?: [string, string][] };
type SeedCategory = { slug: string; title: string; priceKind?: PriceKind; premoderation?: boolean; businessVerified?: boolean; lifetimeDays?: number; maxPhotos?: number; fields?: SeedField[]; children?: SeedCategory[] };

const o = (...pairs: [string, string][]) => pairs;
const CONDITION: SeedField = { code: 'condition', label: 'Состояние', type: 'enum', searchable: true, options: o(['new', 'Новое'], ['used', 'Б/у']) };

export const DEFAULT_TREE: SeedCategory[] = [
  {
    slug: 'transport',
    title: 'Транспорт',
    children: [
      {
        slug: 'cars',
        title: 'Легковые автомобили',
        fields: [
          { code: 'make', label: 'Марка', type: 'enum', required: true, searchable: true, options: o(['lada', 'Lada'], ['kia', 'Kia'], ['hyundai', 'Hyundai'], ['toyota', 'Toyota'], ['volkswagen', 'Volkswagen'], ['skoda', 'Škoda'], ['renault', 'Renault'], ['haval', 'Haval'], ['chery', 'Chery'], ['bmw', 'BMW']) },
          { code: 'model', label: 'Модель', type: 'text', required: true, searchable: true },
          { code: 'year', label: 'Год выпуска', type: 'year', required: true, range: true, min: 1950 },
          { code: 'mileage', label: 'Пробег', type: 'number', unit: 'км', required: true, range: true, min: 0, max: 2_000_000 },
          { code: 'engine', label: 'Объём двигателя', type: 'number', unit: 'л', range: true, min: 0.6, max: 8 },
          { code: 'transmission', label: 'Коробка передач', type: 'enum', searchable: true, options: o(['manual', 'Механика'], ['automatic', 'Автомат'], ['robot', 'Робот'], ['cvt', 'Вариатор']) },
          { code: 'body', label: 'Кузов', type: 'enum', searchable: true, options: o(['sedan', 'Седан'], ['hatchback', 'Хэтчбек'], ['wagon', 'Универсал'], ['suv', 'Внедорожник'], ['minivan', 'Минивэн']) },
          { code: 'colour', label: 'Цвет', type: 'enum', searchable: true, options: o(['white', 'Белый'], ['black', 'Чёрный'], ['silver', 'Серебристый'], ['grey', 'Серый'], ['red', 'Красный'], ['blue', 'Синий']) },
          { code: 'features', label: 'Оснащение', type: 'multi', searchable: true, options: o(['abs', 'ABS'], ['climate', 'Климат-контроль'], ['heated', 'Подогрев сидений'], ['camera', 'Камера заднего вида']) },
        ],
      },
    ],
  },
  {
    slug: 'realty',
    title: 'Недвижимость',
    children: [
      {
        slug: 'flats',
        title: 'Квартиры',
        fields: [
          { code: 'deal', label: 'Сделка', type: 'enum', required: true, searchable: true, options: o(['sale', 'Продажа'], ['rent', 'Аренда']) },
          { code: 'rooms', label: 'Комнат', type: 'number', required: true, range: true, min: 0, max: 10 },
          { code: 'area', label: 'Площадь', type: 'number', unit: 'м²', required: true, range: true, min: 8, max: 1000 },
          { code: 'floor', label: 'Этаж', type: 'number', range: true, min: -1, max: 100 },
          { code: 'floors', label: 'Этажей в доме', type: 'number', min: 1, max: 100 },
          { code: 'built', label: 'Год постройки', type: 'year', min: 1800 },
        ],
      },
      { slug: 'rooms', title: 'Комнаты', fields: [{ code: 'deal', label: 'Сделка', type: 'enum', required: true, searchable: true, options: o(['sale', 'Продажа'], ['rent', 'Аренда']) }, { code: 'area', label: 'Площадь', type: 'number', unit: 'м²', range: true, min: 5, max: 200 }] },
      { slug: 'houses', title: 'Дома и дачи', fields: [{ code: 'deal', label: 'Сделка', type: 'enum', required: true, searchable: true, options: o(['sale', 'Продажа'], ['rent', 'Аренда']) }, { code: 'area', label: 'Площадь дома', type: 'number', unit: 'м²', range: true, min: 5, max: 2000 }, { code: 'land', label: 'Участок', type: 'number', unit: 'сот.', range: true, min: 0, max: 1000 }, { code: 'gas', label: 'Газ', type: 'boolean', searchable: true }] },
    ],
  },
  {
    slug: 'jobs',
    title: 'Работа',
    children: [
      {
        slug: 'vacancies',
        title: 'Вакансии',
        priceKind: 'salary',
        premoderation: true,
        fields: [
          { code: 'schedule', label: 'График', type: 'enum', required: true, searchable: true, options: o(['full', 'Полный день'], ['shift', 'Сменный'], ['part', 'Частичная занятость'], ['remote', 'Удалённо']) },
          { code: 'experience', label: 'Опыт', type: 'enum', searchable: true, options: o(['none', 'Без опыта'], ['1', '1–3 года'], ['3', '3–6 лет'], ['6', 'Больше 6 лет']) },
        ],
      },
      { slug: 'resumes', title: 'Резюме', priceKind: 'salary', fields: [{ code: 'schedule', label: 'График', type: 'enum', searchable: true, options: o(['full', 'Полный день'], ['shift', 'Сменный'], ['part', 'Частичная занятость'], ['remote', 'Удалённо']) }, { code: 'age', label: 'Возраст', type: 'number', unit: 'лет', range: true, min: 14, max: 99 }] },
    ],
  },
  { slug: 'services', title: 'Услуги', fields: [{ code: 'kind', label: 'Вид услуги', type: 'enum', required: true, searchable: true, options: o(['repair', 'Ремонт и отделка'], ['tailoring', 'Пошив и ремонт одежды'], ['furniture', 'Мебель на заказ'], ['transport', 'Перевозки'], ['tutoring', 'Репетиторы'], ['beauty', 'Красота']) }, { code: 'since', label: 'Работаю с', type: 'date' }] },
  { slug: 'personal', title: 'Личные вещи', fields: [{ code: 'kind', label: 'Что', type: 'enum', required: true, searchable: true, options: o(['clothes', 'Одежда'], ['shoes', 'Обувь'], ['kids', 'Детские вещи'], ['bags', 'Сумки и аксессуары']) }, { code: 'size', label: 'Размер', type: 'text', searchable: true }, CONDITION] },
  { slug: 'electronics', title: 'Электроника', fields: [{ code: 'kind', label: 'Что', type: 'enum', required: true, searchable: true, options: o(['phone', 'Телефоны'], ['laptop', 'Ноутбуки'], ['tv', 'Телевизоры'], ['audio', 'Аудио'], ['photo', 'Фототехника']) }, CONDITION, { code: 'warranty', label: 'Гарантия', type: 'boolean', searchable: true }] },
  { slug: 'home', title: 'Для дома и дачи', fields: [{ code: 'kind', label: 'Что', type: 'enum', required: true, searchable: true, options: o(['furniture', 'Мебель'], ['appliances', 'Бытовая техника'], ['garden', 'Сад и огород'], ['repair', 'Ремонт и строительство']) }, CONDITION, { code: 'width', label: 'Ширина', type: 'number', unit: 'см', range: true, min: 1, max: 1000 }] },
  { slug: 'animals', title: 'Животные', fields: [{ code: 'kind', label: 'Кто', type: 'enum', required: true, searchable: true, options: o(['dogs', 'Собаки'], ['cats', 'Кошки'], ['birds', 'Птицы'], ['other', 'Другие']) }, { code: 'age', label: 'Возраст', type: 'number', unit: 'мес.', range: true, min: 0, max: 300 }, { code: 'pedigree', label: 'С родословной', type: 'boolean', searchable: true }] },
];

export const DEFAULT_DISTRICTS: [string, string][] = [
  ['centralny', 'Центральный'],
  ['zarechny', 'Заречный'],
  ['severny', 'Северный'],
  ['yuzhny', 'Южный'],
  ['zavodskoy', 'Заводской'],
  ['sadovy', 'Садовый'],
];

/** Installs the default tree and districts on a portal that has none (idempotent). */
export async function installDefaults(db: Kysely<DB>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const any = await trx.selectFrom('ad_categories').select('id').limit(1).executeTakeFirst();
    if (any) return;
    async function add(c: SeedCategory, parentId: number | null, position: number) {
      const row = await trx
        .insertInto('ad_categories')
        .values({ parent_id: parentId, slug: c.slug, title: c.title, position, price_kind: c.priceKind ?? 'price', premoderation: c.premoderation ?? false, business_verified: c.businessVerified ?? false, lifetime_days: c.lifetimeDays ?? 30, max_photos: c.maxPhotos ?? 10 })
        .returning('id')
        .executeTakeFirstOrThrow();
      let slot = 0;
      for (const [i, f] of (c.fields ?? []).entries()) {
        await trx
          .insertInto('ad_fields')
          .values({
            category_id: row.id,
            code: f.code,
            label: f.label,
            type: f.type,
            unit: f.unit ?? '',
            required: f.required ?? false,
            searchable: f.searchable ?? f.range ?? false,
            range_searchable: f.range ?? false,
            min_value: f.min ?? null,
            max_value: f.max ?? null,
            options: JSON.stringify((f.options ?? []).map(([value, label]) => ({ value, label }))),
            position: i,
            slot: f.range && slot < 4 ? ++slot : null,
          })
          .execute();
      }
      for (const [i, child] of (c.children ?? []).entries()) await add(child, row.id, i);
    }
    for (const [i, c] of DEFAULT_TREE.entries()) await add(c, null, i);
    for (const [i, [slug, title]] of DEFAULT_DISTRICTS.entries()) await trx.insertInto('ad_districts').values({ slug, title, position: i }).execute();
  });
}

export function categoryOr404(cat: Catalogue, id: number | string): Category {
  const c = typeof id === 'number' ? cat.byId.get(id) : cat.bySlug.get(id);
  if (!c) throw new DomainError('ad.unknown_category', {}, typeof id === 'number' ? 400 : 404);
  return c;
}
