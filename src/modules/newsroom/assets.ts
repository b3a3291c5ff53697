// The newsroom's own bundles, built once per process and served only to back office
// pages, so public pages keep their small islands bundle: the editor (Editor.js and
// its tools, ~250 KB) and the pickers (author photo, home page articles; a few KB).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleScripts, EDITORJS, type Bundle } from '../../web/bundle.js';

const CLIENT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'client');

export type EditorBundle = Bundle;

let building: Promise<{ editor: EditorBundle; pickers: EditorBundle }> | undefined;

export function newsroomBundles(): Promise<{ editor: EditorBundle; pickers: EditorBundle }> {
  building ??= bundleScripts({ editor: path.join(CLIENT_DIR, 'editor.ts'), pickers: path.join(CLIENT_DIR, 'pickers.ts') }, EDITORJS);
  return building;
}
