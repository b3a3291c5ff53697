// Named extension points: a module offers a capability under a name another module
// may ask for, without either importing the other's files or probing the app for a
// decorator. The module that asks names the point and its shape (declaration
// merging below, in its own index.ts); the one that answers provides it once at
// registration. Asking is lazy (at call time), so the order plugins register in
// does not matter, and a portal without the answering module simply gets nothing.
//
//   declare module '../../platform/extensions.js' {
//     interface ExtensionPoints { 'article.commentCounts': (ids: number[]) => Promise<Map<number, number>> }
//   }
//   app.extensions.provide('article.commentCounts', (ids) => comments.counts(ids));
//   const counts = app.extensions.get('article.commentCounts');

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ExtensionPoints {}

export class Extensions {
  private provided = new Map<string, { impl: unknown; by: string }>();

  /** Offers a capability; a second provider of the same point is a wiring mistake and throws at start. */
  provide<K extends keyof ExtensionPoints>(name: K, impl: ExtensionPoints[K], by = 'a module'): void {
    const already = this.provided.get(name);
    if (already) throw new Error(`extension point ${String(name)} is already provided by ${already.by}`);
    this.provided.set(name, { impl, by });
  }

  /** The provided capability, or undefined when no installed module offers it. */
  get<K extends keyof ExtensionPoints>(name: K): ExtensionPoints[K] | undefined {
    return this.provided.get(name)?.impl as ExtensionPoints[K] | undefined;
  }

  has(name: keyof ExtensionPoints): boolean {
    return this.provided.has(name);
  }
}
