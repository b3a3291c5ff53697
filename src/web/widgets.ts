// Pages are assembled from module widgets: the article page asks the modules that
// registered for a slot (reactions, comments, ТОП 5, …) for their parts, without
// knowing their tables. Each widget returns a node or null.
import type { FastifyRequest } from 'fastify';
import type { VNode } from 'preact';

export type WidgetSlot = 'article.afterBody' | 'article.aside' | 'home.aside' | 'home.main';

export interface WidgetArgs {
  req: FastifyRequest;
  /** The article on an article page. */
  article?: { id: number; section: { id: number }; type: string; story: { id: number } | null };
}

type Widget = { order: number; name?: string; render: (args: WidgetArgs) => Promise<VNode | null> };

export class Widgets {
  private slots = new Map<WidgetSlot, Widget[]>();

  /** A named widget replaces an earlier one of the same name in the slot (e.g. the
   * audience module's ТОП 5 by views replaces content's ТОП 5 by recency). */
  add(slot: WidgetSlot, order: number, render: Widget['render'], name?: string): void {
    const list = (this.slots.get(slot) ?? []).filter((w) => !name || w.name !== name);
    list.push({ order, render, name });
    list.sort((a, b) => a.order - b.order);
    this.slots.set(slot, list);
  }

  async render(slot: WidgetSlot, args: WidgetArgs): Promise<VNode[]> {
    const nodes = await Promise.all((this.slots.get(slot) ?? []).map((w) => w.render(args)));
    return nodes.filter((n): n is VNode => n !== null);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    widgets: Widgets;
  }
}
