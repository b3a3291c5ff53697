// The typed settings store on a real database: a declared setting reads its default
// until set, reads back what was set as its own type, refuses a value out of bounds
// with a coded error and keeps the old one, reads a stored value that no longer
// parses as the default, and cannot take the platform's own keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPortal } from '../../test/support/portal.js';
import { DomainError } from './errors.js';
import { booleanSetting, integerSetting, textSetting } from './settings.js';

const HOLD_FIRST = integerSetting('comments.holdFirst', 0, { min: 0, max: 100 });

test('settings are typed, bounded and shared through the database', () =>
  withPortal(
    async ({ app, database }) => {
      assert.equal(await app.settings.get(HOLD_FIRST), 0);
      await app.settings.set(HOLD_FIRST, 3);
      assert.equal(await app.settings.get(HOLD_FIRST), 3);
      // The same key the comments module writes today (a raw row) reads as a number.
      assert.deepEqual(await database.db.selectFrom('settings').select('value').where('key', '=', 'comments.holdFirst').executeTakeFirst(), { value: '3' });

      await assert.rejects(app.settings.set(HOLD_FIRST, 101), (err: unknown) => err instanceof DomainError && err.code === 'setting.invalid' && err.statusCode === 400);
      await assert.rejects(app.settings.set(HOLD_FIRST, 1.5), DomainError);
      assert.equal(await app.settings.get(HOLD_FIRST), 3);

      // A row changed behind the store's back is read from memory until the settings are purged (as every change through the store does).
      await database.db.updateTable('settings').set({ value: 'много' }).where('key', '=', 'comments.holdFirst').execute();
      assert.equal(await app.settings.get(HOLD_FIRST), 3);
      await app.settings.changed();
      assert.equal(await app.settings.get(HOLD_FIRST), 0);
      await app.settings.reset(HOLD_FIRST);
      assert.equal(await database.db.selectFrom('settings').select('key').where('key', '=', 'comments.holdFirst').executeTakeFirst(), undefined);

      const open = booleanSetting('comments.open', true);
      assert.equal(await app.settings.get(open), true);
      await app.settings.set(open, false);
      assert.equal(await app.settings.get(open), false);
      const motto = textSetting('site.motto', '', { maxLength: 20 });
      await app.settings.set(motto, 'Город, где живём');
      assert.equal(await app.settings.get(motto), 'Город, где живём');
      await assert.rejects(app.settings.set(motto, 'x'.repeat(21)), DomainError);

      await assert.rejects(app.settings.get(textSetting('secret', '')), /reserved/);
    },
    { demo: false },
  ));
