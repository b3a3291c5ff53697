// Editor.js ships its type declarations as .ts sources that do not compile under
// our strict settings, so the editor bundle imports it under these aliases
// (resolved by esbuild in ../assets.ts) with just the types we use.
declare module 'editorjs:*' {
  const tool: unknown;
  export default tool;
}
declare module 'editorjs:core' {
  export interface OutputBlock {
    id?: string;
    type: string;
    data: Record<string, unknown>;
  }
  export interface OutputData {
    time?: number;
    blocks: OutputBlock[];
    version?: string;
  }
  export interface BlockToolConstructorOptions {
    data: Record<string, unknown>;
    config?: unknown;
    api: unknown;
    readOnly: boolean;
    block?: unknown;
  }
  export default class EditorJS {
    constructor(config: Record<string, unknown>);
    isReady: Promise<void>;
    save(): Promise<OutputData>;
  }
}
declare module 'editorjs:image' {
  import type { BlockToolConstructorOptions } from 'editorjs:core';
  export default class ImageTool {
    constructor(opts: BlockToolConstructorOptions);
    render(): HTMLDivElement;
    save(): Record<string, unknown>;
  }
}
