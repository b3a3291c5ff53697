// PGlite's database folder on disk, mounted so that a new database's initdb writes
// straight into it. PGlite's own NodeFS stores the same files the same way; it
// differs on a first start only. There, PGlite runs initdb in a second, temporary
// PGlite (a WebAssembly memory of 128 MB or more, plus a 128 MB copy of it that
// initdb restores before each of its runs). With NodeFS it then packs the new
// database into a tarball (40 MB) and unpacks it into the real one's folder, all
// while the temporary PGlite is still alive: 740 MB at the peak. When the file
// system is a MemoryFS, PGlite instead lets the temporary instance write through to
// the real one's files — no tarball — and this class is a MemoryFS that keeps
// those files on disk: about 530 MB at the peak (docs/capacity.md, «Memory»).
//
// The `instanceof MemoryFS` test is inside PGlite (0.5), not its documented API: a
// later version that drops it still works with this class, only with the old peak.
import fs from 'node:fs';
import path from 'node:path';
import { MemoryFS, type PGlite } from '@electric-sql/pglite';

/** Where PGlite's Postgres looks for its data (PGDATA inside the WebAssembly file system). */
const PGDATA = '/pglite/data';

type EmscriptenOptions = Parameters<MemoryFS['init']>[1];
type EmscriptenModule = Parameters<NonNullable<EmscriptenOptions['preRun']>[number]>[0];

export class PgliteDiskFs extends MemoryFS {
  readonly rootDir: string;

  constructor(dir: string) {
    super();
    this.rootDir = path.resolve(dir);
    fs.mkdirSync(this.rootDir, { recursive: true });
  }

  override async init(pg: PGlite, options: EmscriptenOptions) {
    this.pg = pg;
    const mountFolder = (mod: EmscriptenModule) => {
      mod.FS.mkdirTree(PGDATA);
      mod.FS.mount(mod.NODEFS, { root: this.rootDir }, PGDATA);
    };
    return { emscriptenOpts: { ...options, preRun: [...(options.preRun ?? []), mountFolder] } };
  }
}
