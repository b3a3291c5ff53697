import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import { lemmasOf, queryLemmas, tsqueryText } from './lemmas.js';
import { loadMorphology } from './lemmas.js';
import { snippet } from './snippets.js';

describe('morphology', () => {
  before(() => loadMorphology());

  test('every form of a word has the same lemma, with ё as е', () => {
    for (const w of ['провал', 'провала', 'провалом', 'провалы']) assert.ok(lemmasOf(w).includes('провал'), w);
    assert.ok(lemmasOf('фабрики').includes('фабрика') && lemmasOf('фабрикой').includes('фабрика'));
    assert.ok(lemmasOf('проекты').includes('проект'));
    assert.deepEqual(lemmasOf('Ёлка'), lemmasOf('елка'));
    assert.deepEqual(lemmasOf('qwerty'), ['qwerty'], 'unknown words stay for the stemmer');
  });

  test('an ambiguous word keeps every lemma; a query ANDs words and ORs lemmas', () => {
    assert.ok(lemmasOf('стали').includes('стать') && lemmasOf('стали').includes('сталь'));
    assert.match(tsqueryText(queryLemmas('провал стали')), /^\(провал\) & \(.*стать.*\)$/);
    assert.deepEqual(queryLemmas('!!! ??? ...'), []);
  });

  test('snippets mark every form of the asked word', () => {
    const parts = snippet('Вчерашний провал стал уроком. После провала команда собралась.', new Set(['провал']));
    assert.deepEqual(parts.filter((p) => p.mark).map((p) => p.text), ['провал', 'провала']);
  });
});

describe('search on a portal', () => {
  let portal: Portal;
  const ids: Record<string, number> = {};
  before(async () => {
    portal = await startPortal();
    const tree = await portal.app.content.sections();
    const biz = tree.bySlugOf('biznes')!.id;
    const sport = tree.bySlugOf('sport')!.id;
    const author = (await portal.app.content.author((await portal.app.content.allAuthors())[0]!.slug))!;
    const now = Date.now();
    const make = async (key: string, title: string, text: string, sectionId: number, hoursAgo: number, type: 'news' | 'opinion' = 'news', status: 'published' | 'draft' = 'published') => {
      ids[key] = await portal.app.content.createArticle({
        type,
        status,
        sectionId,
        title,
        lead: '',
        body: { blocks: [{ type: 'paragraph', data: { text } }] },
        authorIds: key === 'opinion' ? [author.id] : [],
        publishedAt: status === 'published' ? new Date(now - hoursAgo * 3600_000) : null,
      });
      await portal.app.events.emit('article.changed', { articleId: ids[key]!, action: 'created' });
    };
    await make('title', 'Провал переговоров о тарифах', 'Стороны не договорились о цене подключения.', biz, 30);
    await make('gen', 'Итоги недели в экономике', 'Эксперты объяснили причины провала сделки с поставщиками.', biz, 2);
    await make('ablt', 'Сезон для «Кедра»', 'Матч закончился провалом для хозяев площадки.', sport, 5);
    await make('plur', 'Дороги после зимы', 'Ямы и провалы асфальта отметили на двадцати улицах.', biz, 50);
    await make('factory', 'Завод сменил владельца', 'Руководить фабрикой будет прежний директор.', biz, 8);
    await make('project', 'Новый сквер', 'Жители выбрали проект благоустройства.', biz, 9);
    await make('yo', 'Главная ёлка города', 'Ёлку установят к двадцатому декабря.', biz, 10);
    await make('opinion', 'Почему провал реформы закономерен', 'Колонка о провале реформы.', biz, 12, 'opinion');
    await make('draft', 'Провал черновика', 'Этот провал не опубликован.', biz, 1, 'news', 'draft');
  });
  after(() => portal.close());

  const api = async (query: string) => {
    const res = await portal.client().get(`/api/search?${query}`);
    return { status: res.status, body: res.json() };
  };
  const found = async (q: string, extra = '') => ((await api(`q=${encodeURIComponent(q)}${extra}`)).body.items as { id: number }[]).map((i) => i.id);

  test('«провал» finds «провала», «провалом» and «провалы», and each form finds the others', async () => {
    const family = [ids.title, ids.gen, ids.ablt, ids.plur, ids.opinion];
    for (const q of ['провал', 'провала', 'провалом', 'провалы']) {
      const got = await found(q);
      for (const id of family) assert.ok(got.includes(id!), `${q} should find ${id}`);
      assert.ok(!got.includes(ids.draft!), 'never a draft');
    }
    assert.ok((await found('фабрики')).includes(ids.factory!));
    assert.ok((await found('проекты')).includes(ids.project!));
  });

  test('ё and е are alike', async () => {
    assert.ok((await found('елка')).includes(ids.yo!));
    assert.ok((await found('ёлки')).includes(ids.yo!));
  });

  test('a title match ranks above a body match; snippets highlight the forms', async () => {
    const { body } = await api('q=провал');
    const rank = (id: number) => body.items.findIndex((i: { id: number }) => i.id === id);
    assert.ok(rank(ids.title!) < rank(ids.gen!), 'a title match above a fresher body-only match');
    const gen = body.items.find((i: { id: number }) => i.id === ids.gen);
    assert.deepEqual(gen.snippet.filter((p: { mark?: boolean }) => p.mark).map((p: { text: string }) => p.text), ['провала']);
    const html = (await portal.client().get('/search?q=провалом')).text;
    assert.match(html, /<mark>провалом<\/mark>/);
    assert.match(html, /Найдено \d+ материал/);
  });

  test('filters by section, type, author and dates', async () => {
    assert.deepEqual(await found('провал', '&section=sport'), [ids.ablt]);
    assert.deepEqual(await found('провал', '&type=opinion'), [ids.opinion]);
    const authorSlug = (await portal.app.content.allAuthors())[0]!.slug;
    assert.deepEqual(await found('провал', `&author=${authorSlug}`), [ids.opinion]);
    const today = new Date().toISOString().slice(0, 10);
    const recent = await found('провал', `&from=${today}`);
    assert.ok(recent.includes(ids.gen!) && !recent.includes(ids.plur!) || new Date().getUTCHours() < 3);
  });

  test('a misspelled word gets «Возможно, вы искали …»', async () => {
    const { body } = await api('q=провл');
    assert.equal(body.total, 0);
    assert.equal(body.suggestion, 'провал');
    const html = (await portal.client().get('/search?q=' + encodeURIComponent('провл'))).text;
    assert.match(html, /Возможно, вы искали/);
  });

  test('bad queries are a clear 400, never a 500', async () => {
    const cases: [string, RegExp][] = [
      ['q=' + 'а'.repeat(201), /не больше 200/],
      ['q=' + encodeURIComponent('!!! ... ???'), /Введите слова/],
      ['q=', /Введите слова/],
      ['q=провал&from=2026-11-20&to=2026-11-01', /Дата начала позже/],
      ['q=провал&section=nowhere', /Неизвестный фильтр/],
      ['q=провал&type=poem', /./],
      ['q=провал&from=yesterday', /./],
      // The shape of a date but no day (it reached the database as an invalid date: a 500).
      ['q=провал&to=2026-13-45', /format "date"/],
      ['q=провал&from=2026-02-30', /format "date"/],
    ];
    for (const [query, message] of cases) {
      const { status, body } = await api(query);
      assert.equal(status, 400, query);
      assert.match(body.error.message, message, query);
    }
    // A parameter we do not know is dropped, not an error (links with tracking tags still work).
    assert.equal((await api('q=провал&utm_source=mail')).status, 200);
    assert.equal((await portal.client().get('/search')).status, 200, 'the empty search page is a form');
    assert.equal((await portal.client().get('/search?q=' + encodeURIComponent('???'))).status, 400);
  });

  test('a changed article is reindexed; an unpublished one disappears', async () => {
    await portal.database.db.updateTable('articles').set({ status: 'unpublished' }).where('id', '=', ids.factory!).execute();
    await portal.app.events.emit('article.changed', { articleId: ids.factory!, action: 'unpublished' });
    assert.ok(!(await found('фабрика')).includes(ids.factory!));
  });

  test('text similarity finds articles about the same thing, never itself or a draft', async () => {
    const similar = await portal.app.articleSearch.similar(ids.title!, 10);
    assert.ok(similar.includes(ids.opinion!), 'shares «провал»');
    assert.ok(!similar.includes(ids.title!) && !similar.includes(ids.draft!));
  });

  test('«По теме» ranks text-similar articles above the rest of the section', async () => {
    const article = (await portal.app.content.article(ids.title!))!;
    // No picks, story or tags here: text-similar articles, then the rest of the section.
    const related = (await portal.app.content.related(article, 5)).map((c) => c.id);
    const similar = new Set(await portal.app.articleSearch.similar(ids.title!, 10));
    assert.ok(similar.has(ids.opinion!) && similar.has(related[0]!), `first is text-similar: ${related.join(',')}`);
    const firstOther = related.findIndex((id) => !similar.has(id));
    assert.ok(firstOther === -1 || related.slice(firstOther).every((id) => !similar.has(id)), `similar first: ${related.join(',')}`);
  });

  test('a repeated query is answered from the data cache, whatever its case or punctuation', async () => {
    const service = portal.app.articleSearch;
    const original = service.search;
    let loads = 0;
    service.search = function (...args) {
      loads++;
      return original.apply(this, args);
    };
    try {
      const first = await api('q=' + encodeURIComponent('проектом'));
      assert.deepEqual((await api('q=' + encodeURIComponent('  Проектом!'))).body, first.body);
      assert.match((await portal.client().get('/search?q=' + encodeURIComponent('проектом'))).text, /Новый сквер/);
      assert.equal(loads, 1);
      // Another page or filter is another question.
      await api('q=' + encodeURIComponent('проектом') + '&type=news');
      assert.equal(loads, 2);
    } finally {
      service.search = original;
    }
  });

  test('an article published or unpublished shows in results at once', async () => {
    const tree = await portal.app.content.sections();
    const made = await portal.app.accounts.createUser({ email: `search-editor-${Date.now()}@example.ru`, password: 'пароль-редактора', displayName: 'Редактор', role: 'editor' });
    const editor = { id: made.id, email: made.email, displayName: made.display_name, role: made.role };
    const id = await portal.app.content.createArticle({ type: 'news', status: 'draft', sectionId: tree.bySlugOf('biznes')!.id, title: 'Дирижабль над площадью', lead: '', body: { blocks: [{ type: 'paragraph', data: { text: 'Над центром пролетел дирижабль.' } }] }, authorIds: [], publishedAt: null });
    assert.deepEqual(await found('дирижабль'), [], 'a draft is not found (and the empty answer is kept)');
    await portal.app.newsroom.transition(editor, id, 'publish');
    assert.deepEqual(await found('дирижабль'), [id]);
    await portal.app.newsroom.transition(editor, id, 'unpublish');
    assert.deepEqual(await found('дирижабль'), []);
  });

  test('the header has a search box on every page', async () => {
    const html = (await portal.client().get('/')).text;
    assert.match(html, /<form class="search-box" method="get" action="\/search" role="search" aria-label="Поиск по сайту">/);
  });
});
