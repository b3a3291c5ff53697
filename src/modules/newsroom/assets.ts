// The editor's own bundle (Editor.js and its tools, ~250 KB): built once per
// process by esbuild and served only to back office pages, so public pages keep
// their small islands bundle.
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const CLIENT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'client');

export interface EditorBundle {
  name: string;
  body: Buffer;
}

let building: Promise<EditorBundle> | undefined;

export function editorBundle(): Promise<EditorBundle> {
  building ??= esbuild
    .build({
      entryPoints: [path.join(CLIENT_DIR, 'editor.ts')],
      bundle: true,
      minify: true,
      format: 'esm',
      target: ['es2020'],
      write: false,
      legalComments: 'none',
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
      const body = Buffer.from(out.outputFiles[0]!.contents);
      return { name: `editor.${crypto.createHash('sha1').update(body).digest('hex').slice(0, 10)}.js`, body };
    });
  return building;
}
