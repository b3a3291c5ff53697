#!/usr/bin/env node
// The `gorod` command runs the compiled JavaScript in dist/ (scripts/build.mjs): no
// TypeScript loader in a production process. `npm install` builds dist/; when a
// source is newer (an edit, a `git pull`), it is rebuilt here first, in seconds.
// `npm run dev` runs the sources through the loader instead.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, distOf, isFresh } from '../scripts/build.mjs';

if (!isFresh()) await build();
await import(pathToFileURL(path.join(distOf(), 'src', 'main.js')).href);
