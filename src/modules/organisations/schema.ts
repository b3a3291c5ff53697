// The organisations module's tables (migration 0010).
import type { ColumnType, Generated } from 'kysely';

export type OrganisationRole = 'owner' | 'manager' | 'member';

declare module '../../db/schema.js' {
  interface OrganisationsTable {
    id: Generated<number>;
    slug: string;
    name: string;
    created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  }
  interface MembershipsTable {
    organisation_id: number;
    user_id: number;
    role: OrganisationRole;
    created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  }
  interface DB {
    organisations: OrganisationsTable;
    memberships: MembershipsTable;
  }
}
export {};
