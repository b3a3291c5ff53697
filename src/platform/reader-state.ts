// The reader's state for a page, in one GET: what differs per reader on a page that
// is otherwise the same for everyone (the account corner, my reaction, whether I may
// comment and my votes, «Рекомендуем» for me, …). Each module adds its part with
// `app.readerState.add(name, schema, load)`; the islands of a page share one fetch
// of `/api/reader-state` (web/client/reader-state.ts) instead of one request each.
//
// A part loads from a ReaderContext, not from Fastify's request, so the same loaders
// answer in the route (web/reader-state-routes.ts) and in its front door
// (web/reader-state-door.ts), which answers anonymous readers before Fastify.
import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import type { SessionUser } from './sessions.js';
import type { I18n } from './i18n/index.js';
import type { Reader } from './reader.js';

export interface ReaderContext {
  /** The signed-in account, or null. */
  user: SessionUser | null;
  /**
   * The reader (platform/reader.ts): the account, or this browser. A browser that
   * came without a reader cookie is given one by this call, the page's first island
   * call, so that its view beacon and reactions later come from a reader issued
   * before them (the anti-stuffing rule, platform/reader-cap.ts).
   */
  reader: Reader;
  /** Whether the reader may have reactions or votes of their own (platform/reader.ts, mayHaveWritten): without, parts skip those look-ups. */
  wrote: boolean;
  i18n: I18n;
  /** The reader's CSRF token for API writes (made, and its cookie set, when new). */
  csrfToken: string;
  /** The page asked about: an article's id, or null for a page without one. */
  articleId: number | null;
  /** A forum topic's page: the topic's id (`topic=`), or null. */
  topicId: number | null;
  /** Which page of the topic (`page=`); 1 when the page did not say. */
  topicPage: number;
  /**
   * The articles the page already shows (its lead, ТОП 5, «По теме»), so that a part
   * listing articles leaves them out; null when the page did not say.
   */
  shown: number[] | null;
  /**
   * The articles this browser says it has read, newest first (it keeps the list itself,
   * audience/client/history.ts); null when it keeps none yet. Only the reader's own
   * answer depends on it, so it needs no more trust than that.
   */
  reads: number[] | null;
  /** The reader was given their cookie by this very call: nothing of theirs is stored yet. */
  fresh: boolean;
}

/** The query of `/api/reader-state`: the page's article, what it shows, the browser's reads. */
export const READER_STATE_LISTS = { shown: 40, read: 50 } as const;

export interface ReaderStatePart {
  name: string;
  /** The part's JSON (a response schema: what the API document shows and the tests check). */
  schema: TSchema;
  load(ctx: ReaderContext): Promise<unknown>;
}

export class ReaderState {
  private parts: ReaderStatePart[] = [];
  private sealed = false;

  /** A module's part; null from `load` means "nothing for this page" (e.g. no article). */
  add(name: string, schema: TSchema, load: (ctx: ReaderContext) => Promise<unknown>): void {
    if (this.sealed) throw new Error(`reader state part added after the route was registered: ${name}`);
    if (this.parts.some((p) => p.name === name)) throw new Error(`reader state part added twice: ${name}`);
    this.parts.push({ name, schema, load });
  }

  /** The route is registered last: its schema holds every part, and no part comes later. */
  seal(): TObject {
    this.sealed = true;
    return Type.Object(Object.fromEntries(this.parts.map((p) => [p.name, Type.Union([p.schema, Type.Null()])])), { additionalProperties: false });
  }

  /** Every part, loaded together; the answer's body is the same bytes in the route and the door. */
  async body(ctx: ReaderContext): Promise<string> {
    const values = await Promise.all(this.parts.map((p) => p.load(ctx)));
    const state: Record<string, unknown> = {};
    this.parts.forEach((p, i) => (state[p.name] = values[i] ?? null));
    return JSON.stringify(state);
  }
}
