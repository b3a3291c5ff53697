// Types of scripts/build.mjs (plain JavaScript: it runs before anything is compiled).
export declare const ROOT: string;
export declare function distOf(root?: string): string;
export declare function isFresh(root?: string): boolean;
export declare function build(options?: { root?: string; quiet?: boolean }): Promise<void>;
