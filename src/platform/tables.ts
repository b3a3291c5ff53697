// The tables the platform itself owns; no module queries them (each module lists its
// own in its index.ts, and test/architecture/boundaries.test.ts holds everyone to it).
export const tables = ['schema_migrations', 'settings', 'sessions'] as const;
