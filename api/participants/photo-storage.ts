// The ID selfie: JPEG or PNG, recognised by its first bytes (a Content-Type header proves
// nothing), stored as <participantId>.<jpg|png> in the photo folder. Written to a temporary
// file and renamed, so a reader never sees half a photo and a failed upload leaves the old one.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { imageSize } from 'image-size';
import { UnprocessableError } from '../errors';

export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;

export interface PhotoFormat {
  contentType: 'image/jpeg' | 'image/png';
  extension: 'jpg' | 'png';
}

const JPEG: PhotoFormat = { contentType: 'image/jpeg', extension: 'jpg' };
const PNG: PhotoFormat = { contentType: 'image/png', extension: 'png' };
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function detectPhotoFormat(bytes: Buffer): PhotoFormat | undefined {
  if (bytes.subarray(0, JPEG_SIGNATURE.length).equals(JPEG_SIGNATURE)) return JPEG;
  if (bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) return PNG;
  return undefined;
}

/** An ID selfie must be legible, and small enough in pixels that decoding it cannot exhaust memory. */
export const PHOTO_MIN_SIDE = 200;
export const PHOTO_MAX_SIDE = 6000;

/**
 * Reads the dimensions from the image header (no decoding) and refuses a photo too small to read
 * an ID from, or so large in pixels that decoding it would be a memory bomb (a few KB of PNG can
 * declare 50,000 x 50,000 pixels).
 */
export function checkPhotoDimensions(bytes: Buffer, format: PhotoFormat): { width: number; height: number } {
  let size: { width?: number; height?: number; type?: string };
  try {
    size = imageSize(bytes);
  } catch {
    throw new UnprocessableError('PHOTO_UNREADABLE', 'The photo\'s image header cannot be read');
  }
  const { width, height } = size;
  if (!width || !height || size.type !== (format.extension === 'jpg' ? 'jpg' : 'png')) {
    throw new UnprocessableError('PHOTO_UNREADABLE', 'The photo\'s image header cannot be read');
  }
  if (Math.min(width, height) < PHOTO_MIN_SIDE || Math.max(width, height) > PHOTO_MAX_SIDE) {
    throw new UnprocessableError('PHOTO_DIMENSIONS', `The photo must be between ${PHOTO_MIN_SIDE} and ${PHOTO_MAX_SIDE} pixels on each side (it is ${width} x ${height})`);
  }
  return { width, height };
}

export class PhotoStorage {
  constructor(private readonly directory: string) {}

  /** Returns the stored file's path. */
  async storePhoto(participantId: string, bytes: Buffer, format: PhotoFormat): Promise<string> {
    await fs.mkdir(this.directory, { recursive: true });
    const finalPath = this.photoPath(participantId, format);
    const temporaryPath = `${finalPath}.${randomUUID()}.tmp`;
    try {
      await fs.writeFile(temporaryPath, bytes, { mode: 0o600 });
      await fs.rename(temporaryPath, finalPath);
    } catch (error) {
      await fs.rm(temporaryPath, { force: true });
      throw error;
    }
    return finalPath;
  }

  /** A JPEG replaced by a PNG (or the reverse) leaves the other file behind; this removes it. */
  async removeOtherFormats(participantId: string, kept: PhotoFormat): Promise<void> {
    for (const format of [JPEG, PNG]) {
      if (format !== kept) await fs.rm(this.photoPath(participantId, format), { force: true });
    }
  }

  private photoPath(participantId: string, format: PhotoFormat): string {
    return path.join(this.directory, `${participantId}.${format.extension}`);
  }
}
