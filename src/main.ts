// The `gorod` command: serve | worker | migrate | seed | user create | backup | restore | import | dating rotate-key.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.js';

const USAGE = `Usage: gorod <command>

  serve                                   start the portal (default)
  worker                                  run the periodic jobs (publishing, the newsletter's send, mails)
                                          and answer no reader, at a lower CPU priority (WORKER_NICE,
                                          default 10): beside instances started with JOBS=off
  migrate                                 apply database migrations
  seed                                    load the demo portal into an empty database
  demo live [--every SECONDS]             serve the portal with a demo live article that gets an entry
                                          every few seconds (default 5): watch its page update itself
  user create --email E --role R [--name N] [--password P]
                                          create a confirmed user (roles: reader, author, editor, moderator, admin)
  backup FILE                             write the database and uploads to FILE (.tar.gz)
  restore FILE [--force]                  load a backup into an empty database (--force: replace what is there)
  import wordpress FILE.xml [--dry-run] [--map sections.json] [--uploads DIR] [--resume] [--fetch] [--accounts] [--report FILE]
                                          import a WordPress export (WXR): sections, authors, tags, posts,
                                          comments, media, and a 301 from every old address; run again to
                                          add and update (--dry-run: report only; --map: categories → section
                                          slugs; --uploads: a copy of wp-content/uploads; --fetch: also fetch
                                          what is not in it; --resume: go on after an interrupted run;
                                          --accounts: accounts for the authors, role «author», no password)
  dating rotate-key [--batch N]           re-encrypt dating's special fields with the newest key
                                          (DATING_KEY_Vn): in batches, resumable, with progress
  import verify FILE.xml --old-base URL [--portal URL]
                                          request every old address of the export from the running portal
                                          (PUBLIC_URL) and list those that do not answer 301 → 200
`;

function fail(message: string): never {
  process.stderr.write(`gorod: ${message}\n`);
  process.exit(1);
}

async function main() {
  const [command = 'serve', ...rest] = process.argv.slice(2);
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems) process.stderr.write(`gorod: ${p}\n`);
      process.exit(2);
    }
    throw err;
  }
  const path = await import('node:path');
  // The database drivers are imported when first needed: a first start's server only
  // waits for its demo child (src/cli/demo-child.ts), and waits lighter without them.
  const open = async () => {
    const { openDatabase } = await import('./db/connection.js');
    return openDatabase({ url: config.databaseUrl, pgliteDir: path.join(config.dataDir, 'pglite') }).catch((err: Error) => fail(err.message.split('\n')[0]!));
  };

  switch (command) {
    case 'serve': {
      // HTTPS is what a trusted proxy says it is (X-Forwarded-Proto): without one,
      // cookies are not Secure and no HSTS is sent even if readers use https.
      if (config.publicUrl.startsWith('https:') && !config.trustProxy) {
        process.stderr.write('gorod: warning: PUBLIC_URL is https but TRUST_PROXY is off; behind a TLS proxy set TRUST_PROXY to its address\n');
      }
      // A first start loads the demo in a child process, which takes its memory with it.
      const { needsDemo, seedInChild } = await import('./cli/demo-child.js');
      const admin = config.seedDemo && (await needsDemo(config, open)) ? await seedInChild() : null;
      const { serve } = await import('./serve.js');
      await serve(config, await open(), { admin });
      return;
    }
    case 'worker': {
      if (!config.databaseUrl) fail('worker needs DATABASE_URL: the embedded database belongs to one process, whose `gorod serve` runs the jobs itself');
      const { runWorker } = await import('./cli/worker.js');
      await runWorker(config, await open());
      return;
    }
    case 'demo': {
      const { values, positionals } = parseArgs({ args: rest, options: { every: { type: 'string' } }, allowPositionals: true });
      if (positionals[0] !== 'live' || positionals.length > 1) fail(`demo needs live\n${USAGE}`);
      const every = Number(values.every ?? '5');
      if (!Number.isFinite(every) || every < 1 || every > 3600) fail('demo live --every takes 1 to 3600 seconds');
      const { needsDemo, seedInChild } = await import('./cli/demo-child.js');
      const admin = config.seedDemo && (await needsDemo(config, open)) ? await seedInChild() : null;
      const { serve } = await import('./serve.js');
      await serve(config, await open(), {
        admin,
        afterListen: async (app) => {
          const { startDemoLive } = await import('../demo/live.js');
          const { url } = await startDemoLive(app, every * 1000);
          process.stderr.write(`demo live coverage: ${config.publicUrl}${url} (an entry every ${every} s; Ctrl+C stops)\n`);
        },
      });
      return;
    }
    case 'migrate': {
      const { migrate } = await import('./db/migrator.js');
      const db = await open();
      const applied = await migrate(db);
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'nothing to apply\n');
      await db.close();
      return;
    }
    case 'seed':
    case 'user': {
      // The database first, the portal's code after: a new PGlite database's opening
      // is the seed's peak of memory (src/cli/demo-child.ts), and it peaks lower
      // without the 80 MB that importing the portal adds.
      const database = await open();
      if (command === 'seed') await (await import('./cli/demo-child.js')).collectOpeningLeftovers();
      const { buildApp } = await import('./server.js');
      const app = await buildApp({ config: { ...config, seedDemo: false }, database, logger: { level: 'warn' } });
      await app.ready();
      try {
        if (command === 'seed') {
          const { seedDemoIfEmpty } = await import('../demo/seed.js');
          const { progressOn } = await import('./cli/progress.js');
          const { demoAdminBlock } = await import('./cli/demo-admin.js');
          const admin = await seedDemoIfEmpty(app, { progress: progressOn(process.stderr, 'demo', { unit: 'images and articles' }) });
          // Run by `gorod serve` on a first start (src/cli/demo-child.ts): the account goes
          // to the server, which shows it once it listens.
          if (process.send) process.send({ demoAdmin: admin });
          else process.stdout.write(admin ? `demo portal loaded\n${demoAdminBlock(admin, config.publicUrl)}` : 'the database already has articles; nothing loaded\n');
        } else {
          const { values, positionals } = parseArgs({ args: rest, options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } }, allowPositionals: true });
          if (positionals[0] !== 'create' || !values.email || !values.role) fail(`user create needs --email and --role\n${USAGE}`);
          const { randomToken } = await import('./platform/secrets.js');
          const password = values.password ?? randomToken(12);
          const user = await app.accounts
            .createUser({ email: values.email, password, displayName: values.name ?? values.email.split('@')[0]!.slice(0, 40).padEnd(2, '_'), role: values.role as never })
            .catch((err: Error) => fail(err.message));
          process.stdout.write(`created ${user.role} ${user.email} (id ${user.id})${values.password ? '' : `\npassword: ${password}`}\n`);
        }
      } finally {
        await app.close();
        await app.database.close();
      }
      return;
    }
    case 'backup':
    case 'restore': {
      const { values, positionals } = parseArgs({ args: rest, options: { force: { type: 'boolean' } }, allowPositionals: true });
      const file = positionals[0];
      if (!file || positionals.length > 1) fail(`${command} needs one FILE\n${USAGE}`);
      const { backup, restore, BackupError } = await import('./db/backup.js');
      const { progressOn } = await import('./cli/progress.js');
      const uploads = path.join(config.dataDir, 'uploads');
      const db = await open();
      try {
        const progress = progressOn(process.stderr, command);
        const manifest =
          command === 'backup' ? await backup(db, uploads, file, progress) : await restore(db, uploads, file, { force: values.force === true, progress });
        const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
        const what = `${rows} rows in ${manifest.tables.length} tables, ${manifest.uploads.files} uploaded files`;
        process.stdout.write(command === 'backup' ? `backup written to ${file}: ${what}\n` : `restored from ${file} (${manifest.createdAt}, ${manifest.database}): ${what}\n`);
      } catch (err) {
        await db.close();
        if (err instanceof BackupError) fail(err.message);
        throw err;
      }
      await db.close();
      return;
    }
    case 'dating': {
      const { values, positionals } = parseArgs({ args: rest, options: { batch: { type: 'string' } }, allowPositionals: true });
      if (positionals[0] !== 'rotate-key' || positionals.length > 1) fail(`dating needs rotate-key\n${USAGE}`);
      const batch = Number(values.batch ?? '500');
      if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) fail('dating rotate-key --batch takes 1 to 10000 rows');
      const database = await open();
      const { buildApp } = await import('./server.js');
      const app = await buildApp({ config: { ...config, seedDemo: false }, database, logger: { level: 'warn' } });
      await app.ready();
      try {
        const { progressOn } = await import('./cli/progress.js');
        const { rotation } = app.dating;
        const moved = await rotation.run({ batch, progress: progressOn(process.stderr, 'rotate-key', { unit: 'profiles' }) });
        const left = await rotation.pending();
        const versions = Object.entries(await rotation.versions()).map(([v, n]) => `v${v}: ${n}`).join(', ') || 'no profiles';
        process.stdout.write(`dating: ${moved} profiles moved to the newest key; ${left} left (${versions})\n`);
      } finally {
        await app.close();
        await app.database.close();
      }
      return;
    }
    case 'import': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { 'dry-run': { type: 'boolean' }, map: { type: 'string' }, uploads: { type: 'string' }, resume: { type: 'boolean' }, fetch: { type: 'boolean' }, accounts: { type: 'boolean' }, report: { type: 'string' }, 'old-base': { type: 'string' }, portal: { type: 'string' } },
        allowPositionals: true,
      });
      const [what, file, ...extra] = positionals;
      if ((what !== 'wordpress' && what !== 'verify') || !file || extra.length) fail(`import needs wordpress FILE.xml or verify FILE.xml\n${USAGE}`);
      if (what === 'verify') {
        if (!values['old-base']) fail(`import verify needs --old-base URL\n${USAGE}`);
        const { verifyImport } = await import('./cli/import.js');
        process.exitCode = await verifyImport(file, values['old-base'], values.portal ?? config.publicUrl, process.stdout, process.stderr, config.timezone);
        return;
      }
      const database = await open();
      const { buildApp } = await import('./server.js');
      const app = await buildApp({ config: { ...config, seedDemo: false }, database, logger: { level: 'warn' } });
      await app.ready();
      try {
        const { importWordpress } = await import('./cli/import.js');
        process.exitCode = await importWordpress(
          app,
          { file, dryRun: values['dry-run'] === true, map: values.map, uploads: values.uploads, resume: values.resume === true, fetch: values.fetch === true, accounts: values.accounts === true, report: values.report },
          process.stdout,
          process.stderr,
        );
      } finally {
        await app.close();
        await app.database.close();
      }
      return;
    }
    case 'help':
    case '--help':
      process.stdout.write(USAGE);
      return;
    default:
      fail(`unknown command "${command}"\n${USAGE}`);
  }
}

main().catch((err: Error) => fail(err.message));
