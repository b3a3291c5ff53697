// Pages are assembled from module widgets: the article page asks the modules that
// registered for a slot (reactions, comments, ТОП 5, …) for their parts, without
// knowing their tables. Each widget returns a node or null.
//
// What a widget shows is the same for every reader (the page it is on is cached
// for all), so a widget may ask to be kept: its node is then rendered once per
// article and locale and reused until its time is up or a purge of its tags.
import type { FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Memo } from '../platform/memo.js';

export type WidgetSlot = 'article.afterBody' | 'article.aside' | 'home.aside' | 'home.main';

export interface WidgetArgs {
  req: FastifyRequest;
  /** The article on an article page. */
  article?: { id: number; section: { id: number }; type: string; story: { id: number } | null };
}

type Render = (args: WidgetArgs) => Promise<VNode | null>;

export interface KeepOptions {
  ttlMs: number;
  /** Purge tags; the article's own `article:<id>` is added on article pages. */
  tags?: string[];
  /** The same node on every article page (ТОП 5), not one per article. */
  shared?: boolean;
}

type Widget = { order: number; name: string; render: Render; keep?: KeepOptions };

export class Widgets {
  private slots = new Map<WidgetSlot, Widget[]>();

  constructor(private readonly memo?: Memo) {}

  /** A named widget replaces an earlier one of the same name in the slot (e.g. the
   * audience module's ТОП 5 by views replaces content's ТОП 5 by recency). */
  add(slot: WidgetSlot, order: number, render: Render, name?: string, keep?: KeepOptions): void {
    const list = (this.slots.get(slot) ?? []).filter((w) => !name || w.name !== name);
    list.push({ order, render, name: name ?? `${slot}#${list.length}`, keep });
    list.sort((a, b) => a.order - b.order);
    this.slots.set(slot, list);
  }

  async render(slot: WidgetSlot, args: WidgetArgs): Promise<VNode[]> {
    const nodes = await Promise.all((this.slots.get(slot) ?? []).map((w) => this.renderOne(slot, w, args)));
    return nodes.filter((n): n is VNode => n !== null);
  }

  private renderOne(slot: WidgetSlot, widget: Widget, args: WidgetArgs): Promise<VNode | null> {
    if (!widget.keep || !this.memo) return widget.render(args);
    const id = widget.keep.shared ? undefined : args.article?.id;
    const key = `widget:${slot}:${widget.name}:${args.req.i18n.locale}:${id ?? ''}`;
    const tags = [...(widget.keep.tags ?? []), ...(id ? [`article:${id}`] : [])];
    return this.memo.get(key, { ttlMs: widget.keep.ttlMs, tags }, () => widget.render(args));
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    widgets: Widgets;
  }
}
