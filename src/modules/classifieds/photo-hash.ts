// A photo's fingerprint for duplicate detection: a 64-bit difference hash (the
// picture in 9×8 greys, each pixel compared with its right neighbour), so a
// re-encoded, resized or lightly edited copy of the same photo is a few bits away.
import { imageLibrary } from '../media/index.js';

export async function differenceHash(bytes: Buffer): Promise<string> {
  const sharp = await imageLibrary();
  try {
    const px = await sharp(bytes, { limitInputPixels: 100_000_000 }).rotate().greyscale().resize(9, 8, { fit: 'fill' }).raw().toBuffer();
    let hex = '';
    for (let row = 0; row < 8; row++) {
      let byte = 0;
      for (let col = 0; col < 8; col++) byte = (byte << 1) | (px[row * 9 + col]! > px[row * 9 + col + 1]! ? 1 : 0);
      hex += byte.toString(16).padStart(2, '0');
    }
    return hex;
  } catch {
    return '';
  }
}
