// The console's block editor bundle (Editor.js with the tools an entry takes:
// paragraph, quote, image, embed, list), built once per process as the newsroom
// builds the article editor's, and served only to the console page.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleScripts, EDITORJS, type Bundle } from '../../web/bundle.js';

const CLIENT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'client');

export type ConsoleBundle = Bundle;

let building: Promise<ConsoleBundle> | undefined;

export function consoleBundle(): Promise<ConsoleBundle> {
  building ??= bundleScripts({ 'live-console': path.join(CLIENT_DIR, 'entry-editor.ts') }, EDITORJS).then((b) => b['live-console']);
  return building;
}
