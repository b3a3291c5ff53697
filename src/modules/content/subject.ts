// The `article` subject kind (platform/subjects.ts): what readers react to, comment
// on and report is asked about here instead of in the articles table. A reader may
// see a published article only; its page carries the tag `article:<id>`, so a count
// or a comment attached to it purges that page.
import type { SubjectInfo, SubjectType } from '../../platform/subjects.js';
import type { Content } from './service.js';

export function articleSubject(content: Pick<Content, 'readerArticle' | 'isPublished'>): SubjectType {
  return {
    kind: 'article',
    owner: 'content',
    async describe(ids) {
      // From the data cache (readerArticle): a burst of reactions to one hot article does
      // not load it each time, and an edit or a take-down purges it on every instance.
      const found = new Map<number, SubjectInfo>();
      for (const id of new Set(ids)) {
        const article = await content.readerArticle(id);
        if (!article || !content.isPublished(article)) continue;
        found.set(id, { kind: 'article', id, title: article.title, url: article.url, tags: [`article:${id}`], scope: { kind: 'section', id: article.section.id }, authorId: null });
      }
      return found;
    },
  };
}
