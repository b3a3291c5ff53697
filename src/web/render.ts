import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** A whole HTML document from a page's virtual DOM; preact escapes every text. */
export function renderDocument(page: VNode): string {
  return `<!doctype html>${renderToString(page)}`;
}
