// What every page view needs besides its own data: texts in the reader's locale,
// the site, the rubric navigation and the asset URLs.
import type { I18n } from '../platform/i18n/index.js';
import type { AssetUrls } from './assets.js';
import type { FooterModel } from './components/footer.js';

export interface NavItem {
  title: string;
  href: string;
  children: { title: string; href: string }[];
}

export interface PageContext {
  i18n: I18n;
  siteName: string;
  publicUrl: string;
  path: string;
  nav: NavItem[];
  /** The footer's sections, info pages and imprint (web/components/footer.tsx). */
  footer: FooterModel;
  assets: AssetUrls;
  now: Date;
}

export interface PageMeta {
  title: string;
  description?: string;
  /** Absolute canonical URL. */
  canonical?: string;
  /** Open Graph / Twitter tags beyond title and description. */
  og?: { type?: string; image?: string; publishedTime?: string; modifiedTime?: string; section?: string };
  jsonLd?: object[];
  feeds?: { title: string; href: string }[];
  noindex?: boolean;
}
