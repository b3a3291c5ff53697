import type { DemoSection } from './types.js';

export const sections: DemoSection[] = [
  {
    slug: 'gorod',
    title: 'Город',
    description: 'Главные новости Новосибирска: решения мэрии, стройки, школы, парки и всё, что меняет жизнь горожан.',
    position: 1,
  },
  {
    slug: 'strana-i-mir',
    title: 'Страна и мир',
    parent: 'gorod',
    description: 'Федеральные и международные события, которые касаются Новосибирска и новосибирцев.',
    position: 1,
  },
  {
    slug: 'transport',
    title: 'Транспорт',
    parent: 'gorod',
    description: 'Метро, трамваи, автобусы, мосты и дороги: что строят, что перекрывают и как теперь ехать.',
    position: 2,
  },
  {
    slug: 'zhkh',
    title: 'ЖКХ',
    parent: 'gorod',
    description: 'Отопление, горячая вода, аварии на сетях, уборка снега и работа управляющих компаний.',
    position: 3,
  },
  {
    slug: 'proisshestviya',
    title: 'Происшествия',
    description: 'Пожары, ДТП, работа спасателей и полиции, мошенники и то, как от них уберечься.',
    position: 2,
  },
  {
    slug: 'biznes',
    title: 'Бизнес',
    description: 'Компании и предприниматели Новосибирска: инвестиции, новые производства, малый бизнес и экономика города.',
    position: 3,
  },
  {
    slug: 'nedvizhimost',
    title: 'Недвижимость',
    parent: 'biznes',
    description: 'Новостройки, цены на квартиры, ипотека и новые кварталы.',
    position: 1,
  },
  {
    slug: 'sport',
    title: 'Спорт',
    description: 'Хоккей, лёгкая атлетика, лыжи и любительский спорт: матчи, забеги и новые площадки.',
    position: 4,
  },
  {
    slug: 'mnenie',
    title: 'Мнение',
    description: 'Колонки экспертов и горожан. Позиция авторов может не совпадать с позицией редакции.',
    position: 5,
  },
  {
    slug: 'afisha',
    title: 'Афиша',
    description: 'Театры, концерты, выставки, кино и лучшие события выходных.',
    position: 6,
  },
];
