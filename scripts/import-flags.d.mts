// Types of import-flags.mjs (plain JavaScript: bin/gorod.js reads it before any loader).
export declare const IMPORT_NODE_FLAGS: string[];
export declare const IMPORT_ENV: Record<string, string>;
