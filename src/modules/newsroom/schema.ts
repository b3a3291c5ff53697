// The newsroom's own table: the audit log (migration 0100).
import type { ColumnType, Generated } from 'kysely';

declare module '../../db/schema.js' {
  interface AuditLogTable {
    id: Generated<string>;
    user_id: number | null;
    action: string;
    entity: string;
    entity_id: number | null;
    summary: Generated<string>;
    created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  }
  interface DB {
    audit_log: AuditLogTable;
  }
}
export {};
