// The back office's editor bundle is built at start by esbuild, whose aliases
// (editorjs:core → @editorjs/editorjs) resolve from its working directory: a server
// started from another folder (a systemd unit's WorkingDirectory, a home directory)
// failed to build it, and the first start's demo seed exited. esbuild takes that
// directory when it is first imported, so the build runs in a child started elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import os from 'node:os';

test('the editor bundle builds whatever folder the server was started in', () => {
  const assets = new URL('./assets.ts', import.meta.url).href;
  const script = `const { newsroomBundles } = await import(${JSON.stringify(assets)});
const { editor, pickers } = await newsroomBundles();
console.log(JSON.stringify({ name: editor.name, size: editor.body.length, pickers: pickers.body.length }));`;
  const run = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', script], { cwd: os.tmpdir(), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr.slice(0, 600));
  const built = JSON.parse(run.stdout) as { name: string; size: number; pickers: number };
  assert.match(built.name, /^editor\.[0-9a-f]{10}\.js$/);
  assert.ok(built.size > 100_000, 'Editor.js and its tools are in the bundle');
  assert.ok(built.pickers > 0);
});
