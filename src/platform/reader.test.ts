// Who counts as one client for the per-IP limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeIP } from '@fastify/rate-limit';
import { clientKey, clientNetwork } from './reader.js';

test('an IPv4 address is its own client; an IPv4-mapped IPv6 address is its IPv4', () => {
  assert.equal(clientNetwork('203.0.113.7'), '203.0.113.7');
  assert.equal(clientNetwork('::ffff:203.0.113.7'), '203.0.113.7');
  assert.equal(clientNetwork('::FFFF:cb00:7107'), '203.0.113.7');
});

test('an IPv6 address counts as its /64, however it is written', () => {
  const net = '2001:db8:1:2::/64';
  for (const ip of ['2001:db8:1:2::1', '2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:DB8:1:2:0:0:0:0', '2001:db8:1:2:a:b:1.2.3.4', '2001:db8:1:2::1%eth0']) {
    assert.equal(clientNetwork(ip), net, ip);
  }
  assert.equal(clientNetwork('::1'), '0:0:0:0::/64');
  assert.equal(clientNetwork('fe80::1'), 'fe80:0:0:0::/64');
  assert.notEqual(clientNetwork('2001:db8:1:3::1'), net);
});

test('the same clients as @fastify/rate-limit’s /64 normalisation, on random addresses', () => {
  const hex = () => Math.floor(Math.random() * 0x10000).toString(16);
  for (let i = 0; i < 500; i++) {
    const groups = Array.from({ length: 8 }, () => (Math.random() < 0.3 ? '0' : hex()));
    const a = groups.join(':');
    const b = [...groups.slice(0, 4), hex(), hex(), hex(), hex()].join(':');
    const c = [groups[0], groups[1], groups[2], ((parseInt(groups[3]!, 16) + 1) % 0x10000).toString(16), ...groups.slice(4)].join(':');
    assert.equal(clientNetwork(a) === clientNetwork(b), normalizeIP(a, 64) === normalizeIP(b, 64), `${a} / ${b}`);
    assert.equal(clientNetwork(a) === clientNetwork(c), normalizeIP(a, 64) === normalizeIP(c, 64), `${a} / ${c}`);
  }
});

test('clientKey is a keyed hash: it never holds the address, and differs with the secret', () => {
  const key = clientKey('s1', '203.0.113.7');
  assert.ok(!key.includes('203'));
  assert.notEqual(key, clientKey('s2', '203.0.113.7'));
  assert.equal(key, clientKey('s1', '::ffff:203.0.113.7'));
});
