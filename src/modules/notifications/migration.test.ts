// Migration 0850 on a database filled before it: a reader who had turned reply
// e-mails off keeps that choice as a preference, old reply notifications get their
// subject (the comment in their link), and users.notify_replies is gone.
// On PGlite in memory, or on PostgreSQL with DATABASE_URL (a database of its own).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../db/connection.js';
import { migrationFiles } from '../../db/migrator.js';
import { adminQuery, withDatabase } from '../../../test/support/template.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../db/migrations');
const OURS = '0850_notifications.sql';

test('0850 carries reply e-mail opt-outs over as preferences and gives old notifications their subject', async () => {
  const base = process.env.DATABASE_URL;
  const name = `gorod_m_${crypto.randomBytes(5).toString('hex')}`;
  if (base) await adminQuery(base, `create database ${name}`);
  const database = await openDatabase({ url: base ? withDatabase(base, name) : undefined, poolSize: 2 });
  try {
    const run = (file: string) => database.exec(fs.readFileSync(path.join(DIR, file), 'utf8'));
    const files = migrationFiles();
    for (const f of files.filter((f) => f < OURS)) await run(f);
    await database.exec(`
      insert into users (email, password_hash, display_name, notify_replies) values
        ('quiet@example.ru', 'x', 'Тихоня', false), ('loud@example.ru', 'x', 'Громкий', true);
      insert into notifications (user_id, kind, actor_name, excerpt, url)
        select id, 'reply', 'Сосед', 'Ответ', '/text/gorod/2026/11/30/7/#comment-42' from users where email = 'quiet@example.ru';`);
    await run(OURS);
    for (const f of files.filter((f) => f > OURS)) await run(f);

    const db = database.db;
    const prefs = await db.selectFrom('notification_preferences').innerJoin('users', 'users.id', 'notification_preferences.user_id').select(['users.email', 'kind', 'channel', 'enabled']).execute();
    assert.deepEqual(prefs, [{ email: 'quiet@example.ru', kind: 'reply', channel: 'mail', enabled: false }]);
    const n = await db.selectFrom('notifications').select(['subject_kind', 'subject_id', 'on_site', 'mail_due_at', 'mail_id']).executeTakeFirstOrThrow();
    assert.deepEqual(n, { subject_kind: 'comment', subject_id: 42, on_site: true, mail_due_at: null, mail_id: null });
    const column = await db.selectFrom('information_schema.columns' as never).select('column_name' as never).where('table_name' as never, '=', 'users' as never).where('column_name' as never, '=', 'notify_replies' as never).execute();
    assert.equal(column.length, 0);
  } finally {
    await database.close();
    if (base) await adminQuery(base, `drop database ${name}`);
  }
});
