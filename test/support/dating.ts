// Dating test helpers: readers with accounts, signed in, and their profiles made
// through the real form (the consent and the rules ticked).
import assert from 'node:assert/strict';
import type { Portal } from './portal.js';
import type { Client } from './client.js';

let n = 0;
let ip = 10;

export interface Person {
  c: Client;
  id: number;
  name: string;
}

/** A birth date `years` (and a few days) before the portal's clock. */
export function bornYearsAgo(portal: Portal, years: number, days = 10): string {
  const d = new Date(portal.clock.now().getTime() - days * 86400_000);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString().slice(0, 10);
}

export async function person(portal: Portal, name = `Участник ${++n}`, role: 'reader' | 'moderator' | 'editor' | 'admin' = 'reader'): Promise<Person> {
  const email = `dating${++n}-${Date.now().toString(36)}@example.ru`;
  const u = await portal.app.accounts.createUser({ email, password: 'пароль-для-знакомств', displayName: name, role });
  const c = portal.client({ 'x-forwarded-for': `203.0.${Math.floor(ip / 250)}.${(ip++ % 250) + 1}`, origin: portal.url });
  await c.signIn(email, 'пароль-для-знакомств');
  return { c, id: u.id, name };
}

export interface ProfileFields {
  birthDate?: string;
  age?: number;
  displayName?: string;
  gender?: 'm' | 'f';
  seek?: 'm' | 'f' | 'any';
  ageMin?: number;
  ageMax?: number;
  intention?: string;
  district?: string;
  about?: string;
  interests?: string[];
}

/** The form as a browser sends it. */
export function profileForm(portal: Portal, p: ProfileFields, extra: Record<string, string> = { consent: '1', rules: '1' }): Record<string, string> {
  const form: Record<string, string> = {
    birthDate: p.birthDate ?? bornYearsAgo(portal, p.age ?? 30),
    displayName: p.displayName ?? 'Аноним',
    gender: p.gender ?? 'm',
    seek: p.seek ?? 'f',
    ageMin: String(p.ageMin ?? 18),
    ageMax: String(p.ageMax ?? 99),
    intention: p.intention ?? 'relationship',
    district: p.district ?? 'Центральный',
    about: p.about ?? '',
    ...extra,
  };
  return form;
}

/** A person with a profile (made through POST /dating/profile). */
export async function dater(portal: Portal, p: ProfileFields = {}, role: 'reader' | 'moderator' | 'editor' | 'admin' = 'reader'): Promise<Person> {
  const who = await person(portal, p.displayName, role);
  const body = new URLSearchParams({ _csrf: await who.c.csrf(), ...profileForm(portal, { displayName: who.name, ...p }) });
  for (const i of p.interests ?? []) body.append('interests', i);
  const res = await who.c.request('POST', '/dating/profile', { raw: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(res.status, 303, res.text.slice(0, 500));
  return who;
}

export const like = (from: Person, to: Person) => from.c.api('POST', '/api/dating/likes', { id: to.id });
export const searchIds = async (who: Person, query = '') => {
  const res = await who.c.request('GET', `/api/dating/search${query}`, { headers: { accept: 'application/json' } });
  assert.equal(res.status, 200, res.text);
  return (res.json().items as { id: number }[]).map((i) => i.id);
};
