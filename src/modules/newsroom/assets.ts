// The newsroom's own bundles, built once per process by esbuild and served only to
// back office pages, so public pages keep their small islands bundle: the editor
// (Editor.js and its tools, ~250 KB) and the pickers (author photo, home page
// articles; a few KB).
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const CLIENT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'client');
// esbuild resolves an alias's target from its working directory, not from the importing
// file: from the project's root (or dist/, below it), whatever folder the server was
// started in, a systemd unit's WorkingDirectory or a newcomer's home.
const PROJECT_DIR = path.resolve(CLIENT_DIR, '../../../..');

export interface EditorBundle {
  name: string;
  body: Buffer;
}

let building: Promise<{ editor: EditorBundle; pickers: EditorBundle }> | undefined;

export function newsroomBundles(): Promise<{ editor: EditorBundle; pickers: EditorBundle }> {
  building ??= esbuild
    .build({
      entryPoints: { editor: path.join(CLIENT_DIR, 'editor.ts'), pickers: path.join(CLIENT_DIR, 'pickers.ts') },
      bundle: true,
      minify: true,
      format: 'esm',
      target: ['es2020'],
      write: false,
      outdir: '/virtual',
      legalComments: 'none',
      absWorkingDir: PROJECT_DIR,
      alias: {
        'editorjs:core': '@editorjs/editorjs',
        'editorjs:header': '@editorjs/header',
        'editorjs:list': '@editorjs/list',
        'editorjs:quote': '@editorjs/quote',
        'editorjs:image': '@editorjs/image',
        'editorjs:embed': '@editorjs/embed',
        'editorjs:delimiter': '@editorjs/delimiter',
      },
    })
    .then((out) => {
      const named = (entry: string): EditorBundle => {
        const body = Buffer.from(out.outputFiles.find((f) => path.basename(f.path) === `${entry}.js`)!.contents);
        return { name: `${entry}.${crypto.createHash('sha1').update(body).digest('hex').slice(0, 10)}.js`, body };
      };
      return { editor: named('editor'), pickers: named('pickers') };
    });
  return building;
}
