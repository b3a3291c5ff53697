import type { DemoArticle } from './types.js';
import { articles as cityArticles } from './articles-city.js';
import { articles as transportArticles } from './articles-transport.js';
import { articles as incidentArticles } from './articles-incidents.js';
import { articles as businessArticles } from './articles-business.js';
import { articles as sportCultureArticles } from './articles-sport-culture.js';
import { articles as opinionArticles } from './articles-opinion.js';

export type { Block, DemoArticle, DemoAuthor, DemoImage, DemoSection, DemoStory } from './types.js';
export { sections } from './sections.js';
export { authors } from './authors.js';
export { stories } from './stories.js';
export { images } from './images.js';

export const articles: DemoArticle[] = [
  ...cityArticles,
  ...transportArticles,
  ...incidentArticles,
  ...businessArticles,
  ...sportCultureArticles,
  ...opinionArticles,
];
