// Subjects: what readers react to, comment on and report. A subject is a kind and
// an id (`article` 42, later `forum_post`, `ad`, `profile`, `live_entry`); the module
// that owns the kind registers it here once, and reactions, comments, reports and the
// moderators' queue ask the registry about it instead of joining the owner's tables.
export type SubjectKind = 'article' | 'comment' | 'forum_post' | 'forum_topic' | 'ad' | 'profile' | 'live_entry' | 'message';

export interface SubjectRef {
  kind: SubjectKind;
  id: number;
}

/** What the registry tells about one subject. */
export interface SubjectInfo extends SubjectRef {
  /** For the moderators' queue and notifications, plain text. */
  title: string;
  /** Where a reader sees it (a path on this portal). */
  url: string;
  /** Page-cache tags that change when something attached to it changes (a count, a comment). */
  tags: string[];
  /** A section or board it belongs to, for scoped bans and pre-moderation. */
  scope: { kind: 'section' | 'board'; id: number } | null;
  /** The account that wrote it, if any (a comment's or a forum post's author). */
  authorId: number | null;
}

export interface SubjectType {
  kind: SubjectKind;
  /** The module that owns it (its `index.ts` registers it). */
  owner: string;
  /**
   * The subjects among `ids` that an anonymous reader may see now, described; an id
   * that does not exist or is hidden (a draft, a deleted post) is absent from the map.
   */
  describe(ids: readonly number[]): Promise<Map<number, SubjectInfo>>;
  /**
   * A private kind (a message between two parties) describes nothing to the public,
   * so comments and reactions cannot attach to it; it says here instead whether this
   * account may report one (a party of its conversation) and what the report is
   * about. Without it, reports go by `describe`.
   */
  reportable?(id: number, userId: number | null): Promise<SubjectInfo | null>;
}

export class SubjectUnknownError extends Error {
  constructor(readonly kind: string) {
    super(`subject kind not registered: ${kind}`);
  }
}

export class Subjects {
  private types = new Map<string, SubjectType>();

  register(type: SubjectType): void {
    if (this.types.has(type.kind)) throw new Error(`subject kind registered twice: ${type.kind}`);
    this.types.set(type.kind, type);
  }

  /** Whether `kind` is a registered kind (input from a request is checked with it). */
  has(kind: string): kind is SubjectKind {
    return this.types.has(kind);
  }

  kinds(): SubjectKind[] {
    return [...this.types.keys()] as SubjectKind[];
  }

  /** One subject a reader may see, or null (unknown id, hidden). Throws on an unregistered kind. */
  async describe(ref: SubjectRef): Promise<SubjectInfo | null> {
    return (await this.describeMany(ref.kind, [ref.id])).get(ref.id) ?? null;
  }

  /** The subject as a report about it by this account sees it, or null (unknown, hidden, or not this reader's to report). */
  async reportable(ref: SubjectRef, userId: number | null): Promise<SubjectInfo | null> {
    const type = this.types.get(ref.kind);
    if (!type) throw new SubjectUnknownError(ref.kind);
    return type.reportable ? type.reportable(ref.id, userId) : this.describe(ref);
  }

  async describeMany(kind: SubjectKind, ids: readonly number[]): Promise<Map<number, SubjectInfo>> {
    const type = this.types.get(kind);
    if (!type) throw new SubjectUnknownError(kind);
    return ids.length ? type.describe(ids) : new Map();
  }
}
