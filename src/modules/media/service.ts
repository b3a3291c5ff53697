// Images: an upload is decoded by sharp, rotated by its EXIF orientation, stripped
// of metadata and stored as responsive WebP and JPEG variants. The original is not
// kept: it may carry a camera's GPS position.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Metadata, Sharp, SharpOptions } from 'sharp';
import type { Kysely } from 'kysely';
import type { DB, ImageVariant } from '../../db/schema.js';
import { HttpError } from '../../platform/errors.js';

let library: Promise<(input?: Buffer, options?: SharpOptions) => Sharp> | undefined;
/**
 * sharp (libvips), loaded at the first image: its native library is some 27 MB
 * resident, and an instance that serves readers may never make one. libvips keeps a
 * cache of recent operations (up to 50 MB) and runs a thread per core for each
 * image, each thread with its own malloc arena: for a portal that makes an image's
 * variants once at upload, neither pays for the memory it holds.
 */
export function imageLibrary() {
  library ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false);
    sharp.concurrency(1);
    return sharp;
  });
  return library;
}

export const VARIANT_WIDTHS = [480, 960, 1600];
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'avif', 'heif', 'gif', 'tiff', 'svg']);

export interface ImageRef {
  id: number;
  width: number;
  height: number;
  alt: string;
  variants: ImageVariant[];
  /** URL base under which variant files are served. */
  base: string;
}

export function createMedia({ db, uploadsDir, maxBytes }: { db: Kysely<DB>; uploadsDir: string; maxBytes: number }) {
  const toRef = (row: { id: number; storage_key: string; width: number; height: number; alt: string; variants: ImageVariant[] }): ImageRef => ({
    id: row.id,
    width: row.width,
    height: row.height,
    alt: row.alt,
    variants: row.variants,
    base: `/uploads/${row.storage_key}/`,
  });

  return {
    uploadsDir,

    /** Stores an image from its bytes; 413 over the limit, 415 when it is not an image. */
    async store(input: Buffer, opts: { alt?: string; createdBy?: number | null } = {}): Promise<ImageRef> {
      if (input.length > maxBytes) throw new HttpError(413, 'too_large', `Файл больше ${Math.round(maxBytes / 1048576)} МБ`);
      const sharp = await imageLibrary();
      let meta: Metadata;
      try {
        meta = await sharp(input).metadata();
      } catch {
        throw new HttpError(415, 'not_an_image', 'Файл не является изображением (JPEG, PNG, WebP, AVIF, HEIC)');
      }
      if (!meta.format || !ACCEPTED_FORMATS.has(meta.format) || !meta.width || !meta.height) {
        throw new HttpError(415, 'not_an_image', 'Файл не является изображением (JPEG, PNG, WebP, AVIF, HEIC)');
      }
      // The stored size is the picture as it is seen: EXIF orientations 5–8 turn it.
      const turned = (meta.orientation ?? 1) >= 5;
      const width = turned ? meta.height : meta.width;
      const height = turned ? meta.width : meta.height;
      const key = `${new Date().toISOString().slice(0, 7)}/${crypto.randomBytes(8).toString('hex')}`;
      const dir = path.join(uploadsDir, key);
      await fs.mkdir(dir, { recursive: true });
      const widths = VARIANT_WIDTHS.filter((w) => w < width);
      if (widths.length < VARIANT_WIDTHS.length) widths.push(Math.min(width, VARIANT_WIDTHS.at(-1)!));
      const variants: ImageVariant[] = [];
      try {
        // Decoded once, straight to the largest variant's size (a JPEG shrinks as it
        // loads, and a large photo never sits in memory at full size), as pixels: each
        // smaller variant is resized from them and each format encoded from its
        // variant's pixels — not the file decoded again for every variant and format,
        // which made an imported archive's pictures twice as slow.
        const sizes = [...new Set(widths)].sort((a, b) => b - a);
        const largest = await sharp(input, { limitInputPixels: 100_000_000 }).rotate().resize({ width: sizes[0], withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true });
        const pixels = (data: Buffer, info: { width: number; height: number; channels: 1 | 2 | 3 | 4 }) => sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
        for (const w of sizes) {
          const variant = w === largest.info.width ? largest : await pixels(largest.data, largest.info).resize({ width: w }).raw().toBuffer({ resolveWithObject: true });
          for (const format of ['webp', 'jpeg'] as const) {
            const pipeline = pixels(variant.data, variant.info);
            const out = format === 'webp' ? await pipeline.webp({ quality: 78, effort: 2 }).toBuffer() : await pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 80, progressive: true }).toBuffer();
            const file = `${w}.${format === 'jpeg' ? 'jpg' : 'webp'}`;
            await fs.writeFile(path.join(dir, file), out);
            variants.push({ width: w, format, file, bytes: out.length });
          }
        }
        variants.sort((a, b) => a.width - b.width); // the smallest first, as pages read them
        const row = await db
          .insertInto('images')
          .values({ storage_key: key, mime: `image/${meta.format}`, width, height, bytes: input.length, variants: JSON.stringify(variants), alt: opts.alt ?? '', created_by: opts.createdBy ?? null })
          .returning(['id', 'storage_key', 'width', 'height', 'alt', 'variants'])
          .executeTakeFirstOrThrow();
        return toRef(row);
      } catch (err) {
        await fs.rm(dir, { recursive: true, force: true });
        throw err;
      }
    },

    /** Which of these images this account uploaded (a reader attaches only their own). */
    async uploadedBy(ids: number[], userId: number): Promise<Set<number>> {
      if (!ids.length) return new Set();
      const rows = await db.selectFrom('images').select('id').where('id', 'in', [...new Set(ids)]).where('created_by', '=', userId).execute();
      return new Set(rows.map((r) => r.id));
    },

    /**
     * Deletes images and their files at once (a dating profile's photos when it is
     * deleted: a saved address of one answers 404 from then on). What points at them
     * is set to null or goes with them, by the foreign keys. How many were deleted.
     */
    async remove(ids: number[]): Promise<number> {
      const unique = [...new Set(ids)];
      if (!unique.length) return 0;
      const rows = await db.deleteFrom('images').where('id', 'in', unique).returning('storage_key').execute();
      for (const r of rows) await fs.rm(path.join(uploadsDir, r.storage_key), { recursive: true, force: true });
      return rows.length;
    },

    async get(ids: number[]): Promise<Map<number, ImageRef>> {
      const unique = [...new Set(ids)];
      if (!unique.length) return new Map();
      const rows = await db.selectFrom('images').select(['id', 'storage_key', 'width', 'height', 'alt', 'variants']).where('id', 'in', unique).execute();
      return new Map(rows.map((r) => [r.id, toRef(r)]));
    },
  };
}
export type Media = ReturnType<typeof createMedia>;

/** The largest JPEG variant's URL, for feeds and Open Graph. */
export function largestJpeg(image: ImageRef): string {
  const jpegs = image.variants.filter((v) => v.format === 'jpeg').sort((a, b) => b.width - a.width);
  return image.base + (jpegs[0]?.file ?? image.variants[0]?.file ?? '');
}
