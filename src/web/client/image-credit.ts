// The image block with a credit line under the caption, as content/blocks.tsx stores
// and draws it ({ file: { url, imageId }, caption, credit }): Editor.js's image tool
// has no credit field, so both back-office editors — the article editor
// (newsroom/client/editor.ts) and the live console (live/client/entry-editor.ts) —
// use this one of ours. The styles are `.image-credit` (newsroom.css).
import ImageTool from 'editorjs:image';
import type { BlockToolConstructorOptions } from 'editorjs:core';

/** The tool class; `label` names the field («Автор фото»), `onInput` marks the editor changed. */
export function imageWithCredit(label: string, onInput: () => void = () => {}) {
  return class ImageWithCredit extends ImageTool {
    private credit: string;
    private creditInput?: HTMLInputElement;
    constructor(opts: BlockToolConstructorOptions) {
      super(opts);
      this.credit = typeof opts.data?.credit === 'string' ? opts.data.credit : '';
    }
    override render(): HTMLDivElement {
      const el = super.render();
      const input = document.createElement('input');
      input.className = 'cdx-input image-credit';
      input.placeholder = label;
      input.setAttribute('aria-label', label);
      input.value = this.credit;
      input.maxLength = 300;
      input.addEventListener('input', onInput);
      // Editor.js would treat Enter and Backspace as block commands.
      input.addEventListener('keydown', (e) => e.stopPropagation());
      this.creditInput = input;
      el.append(input);
      return el;
    }
    override save() {
      return { ...super.save(), credit: this.creditInput?.value.trim() ?? this.credit };
    }
  };
}
