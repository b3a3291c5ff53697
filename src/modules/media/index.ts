// What other modules may use of media: the image references articles and authors
// carry, the service's type, and the file a feed links to.
export type { ImageRef, Media } from './service.js';
export { imageLibrary, largestJpeg, VARIANT_WIDTHS } from './service.js';

/** The tables media owns; no other module queries them. */
export const tables = ['images'] as const;

/** Reading one uploaded file from a multipart form, with a 4xx for every broken body. */
export { readUpload } from './upload.js';
