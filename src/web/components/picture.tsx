// A responsive image: WebP and JPEG srcsets of the stored variants, with the
// intrinsic size so the page does not jump while it loads.
import type { ImageRef } from '../../modules/media/index.js';

export function srcset(image: ImageRef, format: 'webp' | 'jpeg'): string {
  return image.variants
    .filter((v) => v.format === format)
    .sort((a, b) => a.width - b.width)
    .map((v) => `${image.base}${v.file} ${v.width}w`)
    .join(', ');
}

export function Picture({ image, alt, sizes, eager, class: className }: { image: ImageRef; alt: string; sizes: string; eager?: boolean; class?: string }) {
  const jpegs = image.variants.filter((v) => v.format === 'jpeg').sort((a, b) => a.width - b.width);
  const fallback = jpegs.find((v) => v.width >= 960) ?? jpegs.at(-1);
  return (
    <picture class={className}>
      <source type="image/webp" srcset={srcset(image, 'webp')} sizes={sizes} />
      <img
        src={fallback ? image.base + fallback.file : undefined}
        srcset={srcset(image, 'jpeg')}
        sizes={sizes}
        alt={alt}
        width={image.width}
        height={image.height}
        loading={eager ? 'eager' : 'lazy'}
        decoding="async"
      />
    </picture>
  );
}
