// The messages module's tables (migration 1050_messages.sql), merged into Kysely's DB.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface MessageConversationsTable {
  id: Generated<number>;
  subject_kind: string;
  subject_id: number;
  /** The two party keys sorted, joined by `|` (`o:3|u:7`). */
  pair: string;
  started_by: number | null;
  created_at: Timestamp;
  last_message_at: Timestamp;
  last_sender: string | null;
  removed_at: Timestamp | null;
}

export interface MessageParticipantsTable {
  conversation_id: number;
  /** `u:<user id>` or `o:<organisation id>`. */
  party: string;
  other: string;
  last_message_at: Timestamp;
  last_read_id: Generated<number>;
  unread: Generated<number>;
  gone: Generated<boolean>;
}

export interface MessagesTable {
  id: Generated<number>;
  conversation_id: number;
  sender: string;
  sender_id: number | null;
  body: string;
  flagged: Generated<boolean>;
  flag_reasons: Generated<string>;
  erased: Generated<boolean>;
  ip_hash: Generated<string>;
  created_at: Timestamp;
}

export interface MessageBlocksTable {
  blocker: string;
  blocked: string;
  by_user: number | null;
  created_at: Timestamp;
}

declare module '../../db/schema.js' {
  interface DB {
    message_conversations: MessageConversationsTable;
    message_participants: MessageParticipantsTable;
    messages: MessagesTable;
    message_blocks: MessageBlocksTable;
  }
}
