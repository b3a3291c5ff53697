import type { DemoImage } from './types.js';

// Every imageKey used by covers, inline image blocks and author photos.
// palette: [background / sky, main shapes, accent]
export const images: DemoImage[] = [
  // Город
  { key: 'cover-otoplenie', kind: 'cover', motif: 'factory', palette: ['#f3c9a0', '#3d4a5c', '#e4572e'] },
  { key: 'cover-shkola-levyj', kind: 'cover', motif: 'skyline', palette: ['#9fd3f0', '#41618a', '#ffd166'] },
  { key: 'cover-akadem-les', kind: 'cover', motif: 'park', palette: ['#cfe8f3', '#2f6b3f', '#f4a259'] },
  { key: 'inline-akadem-tropa', kind: 'cover', motif: 'park', palette: ['#e9dfc8', '#55803f', '#c0843d'] },
  { key: 'cover-snegopad', kind: 'cover', motif: 'snow', palette: ['#b7c7d9', '#3b4c63', '#ffcf70'] },
  { key: 'cover-dvor', kind: 'cover', motif: 'park', palette: ['#bfe3f5', '#3f7f4a', '#e56b6f'] },
  { key: 'inline-dvor', kind: 'cover', motif: 'park', palette: ['#f6e7c8', '#6a994e', '#bc4749'] },

  // ЖКХ
  { key: 'cover-avaria-teplotrassa', kind: 'cover', motif: 'snow', palette: ['#1e2a44', '#0f1524', '#ff9f43'] },
  { key: 'cover-teplotrassa-zamena', kind: 'cover', motif: 'factory', palette: ['#d9e4ec', '#56657a', '#f4a261'] },
  { key: 'inline-teplotrassa-truby', kind: 'cover', motif: 'factory', palette: ['#efe3d0', '#6b5b4b', '#2a9d8f'] },
  { key: 'cover-naled', kind: 'cover', motif: 'snow', palette: ['#c9d8e8', '#4a5a70', '#e76f51'] },

  // Страна и мир
  { key: 'cover-nauka', kind: 'cover', motif: 'chart', palette: ['#eef3f8', '#3a6ea5', '#ef476f'] },
  { key: 'cover-aviarejs', kind: 'cover', motif: 'skyline', palette: ['#f7b267', '#3c3b5c', '#fff3b0'] },
  { key: 'cover-turizm', kind: 'cover', motif: 'river', palette: ['#a8d8f0', '#2b5f8a', '#f9c74f'] },

  // Транспорт
  { key: 'cover-most-nadvizhka', kind: 'cover', motif: 'bridge', palette: ['#dbe7f0', '#34495e', '#e9c46a'] },
  { key: 'cover-most-reportazh', kind: 'cover', motif: 'bridge', palette: ['#f2c6a0', '#2f3e46', '#ee6c4d'] },
  { key: 'inline-most-opora', kind: 'cover', motif: 'bridge', palette: ['#c7dbe8', '#37506a', '#f4d35e'] },
  { key: 'cover-most-perekrytie', kind: 'cover', motif: 'bridge', palette: ['#e3e8ec', '#5b6770', '#f77f00'] },
  { key: 'cover-metro-vagony', kind: 'cover', motif: 'tram', palette: ['#dfe6ee', '#2d3e50', '#2a9df4'] },
  { key: 'cover-tramvaj-levyj', kind: 'cover', motif: 'tram', palette: ['#bde0fe', '#3d405b', '#e63946'] },
  { key: 'cover-nochnoj-avtobus', kind: 'cover', motif: 'skyline', palette: ['#141b33', '#232c4d', '#ffd166'] },
  { key: 'inline-nochnoj-gorod', kind: 'cover', motif: 'skyline', palette: ['#1b1f3a', '#2e3359', '#f6bd60'] },

  // Происшествия
  { key: 'cover-pozhar-sklad', kind: 'cover', motif: 'factory', palette: ['#3a2a2a', '#1d1d1f', '#ff6b35'] },
  { key: 'cover-dtp-snegopad', kind: 'cover', motif: 'snow', palette: ['#9aaabb', '#37414d', '#ef233c'] },
  { key: 'cover-led-ob', kind: 'cover', motif: 'river', palette: ['#dfe9f2', '#7f9bb3', '#f1faee'] },
  { key: 'cover-pozhar-zatulinka', kind: 'cover', motif: 'skyline', palette: ['#4a3b3b', '#262626', '#ff7b00'] },

  // Бизнес и недвижимость
  { key: 'cover-syrovarnya', kind: 'cover', motif: 'park', palette: ['#f7e8c4', '#7a9e4b', '#f2b134'] },
  { key: 'cover-it-akadem', kind: 'cover', motif: 'chart', palette: ['#101c2c', '#2ec4b6', '#ff9f1c'] },
  { key: 'cover-zavod', kind: 'cover', motif: 'factory', palette: ['#cfd9df', '#3e4c59', '#f25c54'] },
  { key: 'inline-zavod-ceh', kind: 'cover', motif: 'factory', palette: ['#e8e1d5', '#4f5d75', '#ef8354'] },
  { key: 'cover-kofejni', kind: 'cover', motif: 'skyline', palette: ['#f3e1cf', '#6f4e37', '#f4a259'] },
  { key: 'inline-kofejni-chart', kind: 'cover', motif: 'chart', palette: ['#fbf6ee', '#8d6346', '#2a9d8f'] },
  { key: 'cover-ceny', kind: 'cover', motif: 'chart', palette: ['#f1f5f9', '#1d4e89', '#f79256'] },
  { key: 'inline-ceny-chart', kind: 'cover', motif: 'chart', palette: ['#ffffff', '#00798c', '#d1495b'] },
  { key: 'cover-kvartal-most', kind: 'cover', motif: 'skyline', palette: ['#cde7f7', '#486581', '#f9c74f'] },
  { key: 'inline-kvartal-most', kind: 'cover', motif: 'river', palette: ['#d7ecf7', '#336b87', '#f6ae2d'] },
  { key: 'cover-ipoteka', kind: 'cover', motif: 'skyline', palette: ['#fde2c8', '#5a4e7c', '#ffb703'] },
  { key: 'cover-dolshiki', kind: 'cover', motif: 'skyline', palette: ['#d9e2ea', '#52606d', '#f0b429'] },

  // Спорт
  { key: 'cover-hokkej', kind: 'cover', motif: 'stadium', palette: ['#0f1b2d', '#23395b', '#e0fbfc'] },
  { key: 'inline-hokkej-tribuny', kind: 'cover', motif: 'stadium', palette: ['#1a1a2e', '#16213e', '#e94560'] },
  { key: 'cover-hokkej-sekcii', kind: 'cover', motif: 'stadium', palette: ['#dbe9f4', '#3d5a80', '#ee6c4d'] },
  { key: 'cover-polumarafon', kind: 'cover', motif: 'river', palette: ['#cad2d8', '#4d6a80', '#f28482'] },
  { key: 'cover-lyzhnya', kind: 'cover', motif: 'snow', palette: ['#d6e4f0', '#2f5d50', '#f4a261'] },
  { key: 'inline-lyzhnya', kind: 'cover', motif: 'snow', palette: ['#e6eef5', '#35524a', '#e76f51'] },
  { key: 'cover-stadion', kind: 'cover', motif: 'stadium', palette: ['#aee1f9', '#3a506b', '#d1495b'] },

  // Афиша
  { key: 'cover-opera', kind: 'cover', motif: 'skyline', palette: ['#2b1d3a', '#4a2c5a', '#f6c453'] },
  { key: 'cover-dzhaz', kind: 'cover', motif: 'skyline', palette: ['#16213e', '#0f3460', '#e94560'] },
  { key: 'cover-vystavka-most', kind: 'cover', motif: 'bridge', palette: ['#e8dcc4', '#5c4b3b', '#b08968'] },
  { key: 'inline-vystavka-maket', kind: 'cover', motif: 'bridge', palette: ['#f0e6d2', '#6b5544', '#a3472a'] },
  { key: 'cover-vyhodnye', kind: 'cover', motif: 'park', palette: ['#cfe3f0', '#4f7c6a', '#f28f3b'] },
  { key: 'cover-kinofestival', kind: 'cover', motif: 'skyline', palette: ['#22223b', '#4a4e69', '#f2e9e4'] },

  // Мнение
  { key: 'cover-op-kedrov-most', kind: 'cover', motif: 'bridge', palette: ['#bcd4e6', '#2c3e50', '#f39c12'] },
  { key: 'cover-op-naberezhnaya', kind: 'cover', motif: 'river', palette: ['#ffd6a5', '#3d5a80', '#ff8c42'] },
  { key: 'cover-op-ipoteka', kind: 'cover', motif: 'chart', palette: ['#f7f7f2', '#5e548e', '#e07a5f'] },
  { key: 'cover-op-kvartaly', kind: 'cover', motif: 'skyline', palette: ['#d8eefe', '#5f7d95', '#f6bd60'] },
  { key: 'cover-op-stadiony', kind: 'cover', motif: 'stadium', palette: ['#e0ecf4', '#6c7a89', '#c8553d'] },
  { key: 'cover-op-polumarafon', kind: 'cover', motif: 'park', palette: ['#f9dcc4', '#4a7c59', '#f08080'] },
  { key: 'cover-op-tramvaj', kind: 'cover', motif: 'tram', palette: ['#ffe8d6', '#344e41', '#d62828'] },
  { key: 'cover-op-teplo', kind: 'cover', motif: 'factory', palette: ['#e5e5e5', '#495057', '#fb8500'] },
  { key: 'cover-op-sosulki', kind: 'cover', motif: 'snow', palette: ['#cddbe8', '#5a6b7d', '#90e0ef'] },

  // Фотографии авторов
  { key: 'portrait-anna-veretennikova', kind: 'portrait', motif: 'portrait', palette: ['#f4d6cc', '#3d405b', '#81b29a'] },
  { key: 'portrait-denis-zarechnyj', kind: 'portrait', motif: 'portrait', palette: ['#cfe1f2', '#2b2d42', '#ef8354'] },
  { key: 'portrait-olga-sinitsyna', kind: 'portrait', motif: 'portrait', palette: ['#e3d5ca', '#5e503f', '#c9184a'] },
  { key: 'portrait-timur-bajsarov', kind: 'portrait', motif: 'portrait', palette: ['#d8e2dc', '#354f52', '#f4a261'] },
  { key: 'portrait-kseniya-lapteva', kind: 'portrait', motif: 'portrait', palette: ['#ffe5ec', '#6d597a', '#e56b6f'] },
  { key: 'portrait-igor-kedrov', kind: 'portrait', motif: 'portrait', palette: ['#dde5b6', '#386641', '#bc4749'] },
  { key: 'portrait-natalya-volzhina', kind: 'portrait', motif: 'portrait', palette: ['#e2ece9', '#5a189a', '#f9c74f'] },
  { key: 'portrait-pavel-ostrouhov', kind: 'portrait', motif: 'portrait', palette: ['#d6d6d6', '#22333b', '#c6ac8f'] },
  { key: 'portrait-valentina-rudakova', kind: 'portrait', motif: 'portrait', palette: ['#fde4cf', '#d00000', '#3a86ff'] },
  { key: 'portrait-arkadij-shmakov', kind: 'portrait', motif: 'portrait', palette: ['#caf0f8', '#03045e', '#ff7b00'] },
  { key: 'portrait-lidiya-zabrodina', kind: 'portrait', motif: 'portrait', palette: ['#f1e3d3', '#8e5572', '#4f772d'] },
];
