// A back-office script bundle built once per process by esbuild in memory, named by
// its content hash: the block editors of the newsroom and of the live console, which
// readers never load. The public islands and the stylesheet are web/assets.ts's.
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export interface Bundle {
  name: string;
  body: Buffer;
}

/** The Editor.js packages under the names the editors' sources import them by. */
export const EDITORJS = {
  'editorjs:core': '@editorjs/editorjs',
  'editorjs:header': '@editorjs/header',
  'editorjs:list': '@editorjs/list',
  'editorjs:quote': '@editorjs/quote',
  'editorjs:image': '@editorjs/image',
  'editorjs:embed': '@editorjs/embed',
  'editorjs:delimiter': '@editorjs/delimiter',
};

// esbuild resolves an alias's target from its working directory, not from the
// importing file: from the project's root (dist/ lies below it), whatever folder the
// server was started in — a systemd unit's WorkingDirectory, a home directory.
const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Each entry (name → source file) bundled and minified; the file name is `<name>.<hash>.js`. */
export async function bundleScripts<K extends string>(entries: Record<K, string>, alias: Record<string, string> = {}): Promise<Record<K, Bundle>> {
  const out = await esbuild.build({
    entryPoints: entries,
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020'],
    write: false,
    outdir: '/virtual',
    legalComments: 'none',
    absWorkingDir: PROJECT_DIR,
    alias,
  });
  const named = {} as Record<K, Bundle>;
  for (const entry of Object.keys(entries) as K[]) {
    const body = Buffer.from(out.outputFiles.find((f) => path.basename(f.path) === `${entry}.js`)!.contents);
    named[entry] = { name: `${entry}.${crypto.createHash('sha1').update(body).digest('hex').slice(0, 10)}.js`, body };
  }
  return named;
}
