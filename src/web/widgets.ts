// Pages are assembled from module widgets: the article page asks the modules that
// registered for a slot (reactions, comments, ТОП 5, …) for their parts, without
// knowing their tables. Each widget returns a node or null.
//
// What a widget shows is the same for every reader (the page it is on is cached
// for all), so a widget may ask to be kept: its node is then rendered once per
// article and locale and reused until its time is up or a purge of its tags.
import type { FastifyRequest } from 'fastify';
import { Fragment, h, type VNode } from 'preact';
import type { Memo } from '../platform/memo.js';

export type WidgetSlot = 'article.afterBody' | 'article.aside' | 'home.aside' | 'home.main';

export interface WidgetArgs {
  req: FastifyRequest;
  /** The article on an article page. */
  article?: { id: number; section: { id: number }; type: string; story: { id: number } | null };
  /** Articles the page itself already shows (the lead, the article, «По теме»):
   * a widget's list leaves them out, so no block repeats another. */
  onPage?: number[];
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
  private listers = new Map<string, (args: WidgetArgs) => Promise<number[]>>();

  constructor(private readonly memo?: Memo) {}

  /** A named widget replaces an earlier one of the same name in the slot (e.g. the
   * audience module's ТОП 5 by views replaces content's ТОП 5 by recency). */
  add(slot: WidgetSlot, order: number, render: Render, name?: string, keep?: KeepOptions): void {
    const list = (this.slots.get(slot) ?? []).filter((w) => !name || w.name !== name);
    list.push({ order, render, name: name ?? `${slot}#${list.length}`, keep });
    list.sort((a, b) => a.order - b.order);
    this.slots.set(slot, list);
  }

  /** Says which articles the named widget lists (ТОП 5's five), so the page's own
   * lists can leave them out; a later call for the same name replaces the earlier. */
  lists(name: string, ids: (args: WidgetArgs) => Promise<number[]>): void {
    this.listers.set(name, ids);
  }

  /** The articles the slot's widgets list, as far as they said (see `lists`). */
  async listed(slot: WidgetSlot, args: WidgetArgs): Promise<number[]> {
    const named = (this.slots.get(slot) ?? []).flatMap((w) => (this.listers.has(w.name) ? [this.listers.get(w.name)!] : []));
    return [...new Set((await Promise.all(named.map((ids) => ids(args)))).flat())];
  }

  /** The slot's nodes in order, each keyed by its widget's name (a page that places
   * one widget apart, like the home page's ТОП 5, finds it by that key). */
  async render(slot: WidgetSlot, args: WidgetArgs): Promise<VNode[]> {
    const list = this.slots.get(slot) ?? [];
    const nodes = await Promise.all(list.map((w) => this.renderOne(slot, w, args)));
    return nodes.flatMap((n, i) => (n ? [h(Fragment, { key: list[i]!.name }, n)] : []));
  }

  private renderOne(slot: WidgetSlot, widget: Widget, args: WidgetArgs): Promise<VNode | null> {
    if (!widget.keep || !this.memo) return widget.render(args);
    const id = widget.keep.shared ? undefined : args.article?.id;
    const key = `widget:${slot}:${widget.name}:${args.req.i18n.locale}:${id ?? ''}:${args.onPage?.join(',') ?? ''}`;
    const tags = [...(widget.keep.tags ?? []), ...(id ? [`article:${id}`] : [])];
    return this.memo.get(key, { ttlMs: widget.keep.ttlMs, tags }, () => widget.render(args));
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    widgets: Widgets;
  }
}
