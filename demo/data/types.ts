// Types for Gorod demo content. Data files import only from this module.

export type Block =
  | { type: 'paragraph'; data: { text: string } } // inline HTML allowed: <b>, <i>, <a href="https://...">
  | { type: 'header'; data: { text: string; level: 2 | 3 } }
  | { type: 'quote'; data: { text: string; caption: string } } // caption = attribution
  | { type: 'list'; data: { style: 'ordered' | 'unordered'; items: string[] } }
  | { type: 'image'; data: { file: { url: string }; caption: string; credit: string } } // url = 'demo:<imageKey>'
  | {
      type: 'embed';
      data: { service: 'youtube'; source: string; embed: string; width: number; height: number; caption: string };
    }
  | { type: 'delimiter'; data: Record<string, never> };

export interface DemoSection {
  slug: string;
  title: string;
  parent?: string;
  description: string;
  position: number;
}

export interface DemoAuthor {
  slug: string;
  name: string;
  position: string;
  bio: string;
  photo: string /* imageKey */;
}

export interface DemoArticle {
  key: string; // unique latin key, used for cross references
  type: 'news' | 'opinion' | 'feature';
  section: string; // section slug (the most specific one)
  title: string;
  lead: string;
  authors: string[]; // author slugs
  tags: string[]; // tag titles in Russian, lowercase
  story?: string; // story slug from stories.ts
  hoursAgo: number; // publication time relative to now
  cover?: { image: string; caption: string; credit: string }; // image = imageKey
  blocks: Block[];
  related?: string[]; // editor-picked related article keys («По теме»)
}

export interface DemoStory {
  slug: string;
  title: string;
  description: string;
}

export interface DemoImage {
  key: string;
  kind: 'cover' | 'portrait';
  palette: [string, string, string];
  motif: 'skyline' | 'river' | 'bridge' | 'tram' | 'stadium' | 'factory' | 'park' | 'snow' | 'portrait' | 'chart';
}
