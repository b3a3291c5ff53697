// Organisations and memberships on a real database: the first owner comes with the
// organisation, roles rank owner > manager > member, the last owner stays, and bad
// input is refused with a coded error (words in both languages) and nothing stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPortal } from '../../../test/support/portal.js';
import { DomainError } from '../../platform/errors.js';
import { domainMessage, i18n } from '../../platform/i18n/index.js';

async function refused(promise: Promise<unknown>, code: string, status: number) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof DomainError, String(err));
    assert.equal(err.code, code);
    assert.equal(err.statusCode, status);
    assert.notEqual(domainMessage(i18n('ru', 'UTC'), err), domainMessage(i18n('en', 'UTC'), err));
    return true;
  });
}

test('an organisation keeps its owner, members and roles', () =>
  withPortal(
    async ({ app, database }) => {
      const user = (n: string) => app.accounts.createUser({ email: `${n}@example.ru`, password: 'пароль-пароль', displayName: `Участник ${n}`, role: 'reader' });
      const [owner, manager, member] = [await user('owner'), await user('manager'), await user('member')];
      const shop = await app.organisations.create({ slug: 'cvety-na-lenina', name: 'Цветы на Ленина', ownerId: owner.id });
      assert.deepEqual(await app.organisations.roleOf(shop.id, owner.id), 'owner');

      await app.organisations.setRole(shop.id, manager.id, 'manager');
      await app.organisations.setRole(shop.id, member.id, 'member');
      assert.deepEqual((await app.organisations.members(shop.id)).map((m) => [m.user_id, m.role]), [[owner.id, 'owner'], [manager.id, 'manager'], [member.id, 'member']]);
      assert.equal(await app.organisations.can(shop.id, owner.id, 'manager'), true);
      assert.equal(await app.organisations.can(shop.id, manager.id, 'manager'), true);
      assert.equal(await app.organisations.can(shop.id, member.id, 'manager'), false);
      assert.equal(await app.organisations.can(shop.id, member.id, 'member'), true);
      assert.deepEqual((await app.organisations.ofUser(manager.id)).map((o) => [o.slug, o.role]), [['cvety-na-lenina', 'manager']]);

      // The only owner can be neither demoted nor removed; with a second owner, they can.
      await refused(app.organisations.setRole(shop.id, owner.id, 'member'), 'organisation.last_owner', 409);
      await refused(app.organisations.remove(shop.id, owner.id), 'organisation.last_owner', 409);
      await app.organisations.setRole(shop.id, manager.id, 'owner');
      await app.organisations.setRole(shop.id, owner.id, 'member');
      await app.organisations.remove(shop.id, member.id);
      assert.deepEqual((await app.organisations.members(shop.id)).map((m) => [m.user_id, m.role]), [[owner.id, 'member'], [manager.id, 'owner']]);

      // Bad input: a clear code, nothing stored.
      const before = await database.db.selectFrom('memberships').selectAll().orderBy('user_id').execute();
      await refused(app.organisations.setRole(shop.id, member.id, 'boss'), 'organisation.bad_role', 400);
      await refused(app.organisations.setRole(shop.id, 999_999, 'member'), 'organisation.no_user', 404);
      await refused(app.organisations.setRole(999_999, member.id, 'member'), 'organisation.not_found', 404);
      await refused(app.organisations.remove(shop.id, member.id), 'organisation.not_member', 404);
      await refused(app.organisations.create({ slug: 'cvety-na-lenina', name: 'Другие цветы', ownerId: member.id }), 'organisation.slug_taken', 409);
      await refused(app.organisations.create({ slug: 'Цветы!', name: 'Цветы', ownerId: member.id }), 'organisation.bad_slug', 400);
      await refused(app.organisations.create({ slug: 'x', name: ' ', ownerId: member.id }), 'organisation.bad_name', 400);
      assert.deepEqual(await database.db.selectFrom('memberships').selectAll().orderBy('user_id').execute(), before);
      assert.equal((await database.db.selectFrom('organisations').select('id').execute()).length, 1);

      // Deleting an account ends its memberships with it (the database cascades).
      await database.db.deleteFrom('users').where('id', '=', member.id).execute();
      assert.equal(await app.organisations.roleOf(shop.id, member.id), null);
    },
    { demo: false },
  ));
