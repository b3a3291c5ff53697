// The `article` subject kind: what reactions, comments and reports attach to, as
// the registry (platform/subjects.ts) describes it — a published article's title,
// address, cache tag and section, read through content's own reader cache.
// (Written for the moderation work; the subjects work registers the same kind, and
// one of the two stays when they meet.)
import type { SubjectInfo, Subjects } from '../../platform/subjects.js';
import type { Content } from './service.js';

export function registerArticleSubject(subjects: Subjects, content: Pick<Content, 'readerArticle' | 'isPublished'>): void {
  if (subjects.has('article')) return;
  subjects.register({
    kind: 'article',
    owner: 'content',
    async describe(ids) {
      const out = new Map<number, SubjectInfo>();
      const found = await Promise.all(ids.map((id) => content.readerArticle(id)));
      for (const a of found) {
        if (a && content.isPublished(a)) out.set(a.id, { kind: 'article', id: a.id, title: a.title, url: a.url, tags: [`article:${a.id}`], scope: { kind: 'section', id: a.section.id }, authorId: null });
      }
      return out;
    },
  });
}
