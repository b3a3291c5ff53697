// The test template: one database with migrations and the demo portal, built once
// per `npm test` run, that every test portal starts from as a copy. Loading the
// demo (rendering ~60 images) for each test file would take most of the run.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export interface TemplateInfo {
  dir: string;
  /** PGlite data tarball, when the run is on the embedded database. */
  pgliteTarball?: string;
  /** Database name on the server, when DATABASE_URL is set. */
  pgDatabase?: string;
  uploadsDir: string;
}

export const TEMPLATE_ENV = 'GOROD_TEST_TEMPLATE';

export function templateInfo(): TemplateInfo | undefined {
  const file = process.env[TEMPLATE_ENV];
  return file && fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as TemplateInfo) : undefined;
}

/** A server URL pointing at another database of the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export const uploadsOf = (dataDir: string) => path.join(dataDir, 'uploads');
