// Shared by the newsroom tests: staff accounts signed in, a valid article payload,
// and multipart uploads (the test client speaks JSON and forms only).
import type { Role } from '../../src/db/schema.js';
import type { Client } from './client.js';
import type { Portal } from './portal.js';

export async function staffClient(portal: Portal, role: Role, name: string = role): Promise<{ client: Client; userId: number }> {
  const email = `${name}-${Math.random().toString(36).slice(2, 8)}@example.ru`;
  const user = await portal.app.accounts.createUser({ email, password: 'пароль-сотрудника', displayName: `Сотрудник ${name}`, role });
  // Each client acts from its own IP: the sign-in limit is per IP.
  const client = portal.client({ 'x-forwarded-for': `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` });
  await client.signIn(email, 'пароль-сотрудника');
  return { client, userId: user.id };
}

export async function firstSectionId(portal: Portal): Promise<number> {
  return (await portal.app.content.sections()).roots()[0]!.id;
}

export function articlePayload(sectionId: number, over: Record<string, unknown> = {}) {
  return {
    type: 'news',
    sectionId,
    storyId: null,
    title: 'Мэрия открыла новый сквер у реки',
    lead: 'Сквер на набережной открыли после реконструкции.',
    body: {
      blocks: [
        { type: 'paragraph', data: { text: 'Сквер открыли в <b>субботу</b>.' } },
        { type: 'header', data: { text: 'Что изменилось', level: 2 } },
        { type: 'quote', data: { text: 'Мы ждали этого десять лет', caption: 'Жительница района' } },
      ],
    },
    authorIds: [],
    tags: ['благоустройство'],
    relatedIds: [],
    coverImageId: null,
    coverCaption: '',
    coverCredit: '',
    seoTitle: '',
    seoDescription: '',
    ...over,
  };
}

export async function upload(portal: Portal, client: Client, bytes: Buffer, filename: string, type: string) {
  const form = new FormData();
  form.append('image', new Blob([new Uint8Array(bytes)], { type }), filename);
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(portal.url + '/api/admin/images', { method: 'POST', headers: { cookie, 'x-csrf-token': await client.csrf(), accept: 'application/json', ...client.defaults }, body: form });
  const text = await res.text();
  return { status: res.status, json: () => JSON.parse(text), text };
}
