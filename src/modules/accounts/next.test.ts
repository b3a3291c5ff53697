// `next` after sign-in (issue 18, item 15): only a page of this portal, judged by
// parsing the address against the portal's origin, never by its first characters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPortal } from '../../../test/support/portal.js';

test('a next that a browser reads as another site (/%09/evil.example) never leaves the portal', () =>
  withPortal(async (portal) => {
    const email = `next-${Date.now()}@example.ru`;
    await portal.app.accounts.createUser({ email, password: 'пароль-проверки-next', displayName: 'Читатель', role: 'reader' });
    for (const next of ['/%09/evil.example/phish', '/%5Cevil.example', '//evil.example', 'https://evil.example/']) {
      // The form the link opens keeps only the home page.
      const form = await portal.client().get(`/login?next=${next}`);
      assert.equal(form.status, 200);
      assert.match(form.text, /name="next" value="\/"/, next);
      // A form made by hand with the raw value is refused, and signs nobody in.
      const client = portal.client();
      const res = await client.submit('/login', { email, password: 'пароль-проверки-next', next: decodeURIComponent(next) });
      assert.equal(res.status, 400, next);
      assert.equal(res.location, null);
      assert.equal(client.cookies.has('gorod_session'), false);
    }
    // A page of the portal is where the reader lands.
    const client = portal.client();
    const res = await client.submit('/login', { email, password: 'пароль-проверки-next', next: '/search?q=мост' });
    assert.equal(res.status, 303);
    assert.equal(res.location, '/search?q=%D0%BC%D0%BE%D1%81%D1%82');
  }));
