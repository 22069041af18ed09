// The document a participant sends with an appeal (a letter, a registry extract, a photo of one):
// JPEG, PNG or PDF, recognised by its first bytes (a file name or a declared type proves nothing),
// at most 2 MiB. Stored sealed with the personal-data key (bound to the participant) as
// `appeals/<appealId>.<ext>` in the photo folder, written to a temporary file and renamed like the
// ID photo, so a reader never sees half a document.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ENVELOPE_CONTEXT, type PersonalDataCipher } from '../../lib/personal-data';
import { DocumentTooLargeError, UnsupportedMediaTypeError } from '../errors';
import { detectPhotoFormat } from '../participants/photo-storage';

export const MAX_APPEAL_DOCUMENT_BYTES = 2 * 1024 * 1024;

export interface AppealDocumentFormat {
  contentType: 'image/jpeg' | 'image/png' | 'application/pdf';
  extension: 'jpg' | 'png' | 'pdf';
}

const PDF: AppealDocumentFormat = { contentType: 'application/pdf', extension: 'pdf' };
const PDF_SIGNATURE = Buffer.from('%PDF-', 'latin1');

export function detectDocumentFormat(bytes: Buffer): AppealDocumentFormat | undefined {
  if (bytes.subarray(0, PDF_SIGNATURE.length).equals(PDF_SIGNATURE)) return PDF;
  return detectPhotoFormat(bytes);
}

/** A document ready to store: its bytes, what they are, and the name the participant gave it. */
export interface AppealDocument {
  bytes: Buffer;
  format: AppealDocumentFormat;
  fileName?: string;
}

/**
 * Checks a document as it came in the request (base64): its size decoded, then its type. Refused
 * here, before anything about the appeal is written.
 */
export function appealDocumentOf({ contentBase64, fileName }: { contentBase64: string; fileName?: string }): AppealDocument {
  // The decoded size is known from the text's length: a document far over the limit is refused
  // without decoding it.
  const padding = contentBase64.endsWith('==') ? 2 : contentBase64.endsWith('=') ? 1 : 0;
  if (Math.floor((contentBase64.length * 3) / 4) - padding > MAX_APPEAL_DOCUMENT_BYTES) throw new DocumentTooLargeError(MAX_APPEAL_DOCUMENT_BYTES);
  const bytes = Buffer.from(contentBase64, 'base64');
  if (bytes.length > MAX_APPEAL_DOCUMENT_BYTES) throw new DocumentTooLargeError(MAX_APPEAL_DOCUMENT_BYTES);
  const format = detectDocumentFormat(bytes);
  if (!format) throw new UnsupportedMediaTypeError('The document must be a PDF, JPEG or PNG file');
  return { bytes, format, ...(fileName !== undefined ? { fileName } : {}) };
}

/** What the stored file holds, sealed: the bytes (base64, as the envelope is JSON) and the given name. */
interface SealedDocumentContent {
  contentBase64: string;
  fileName?: string;
}

export class AppealDocumentStorage {
  private readonly directory: string;

  constructor(photoStorageDir: string, private readonly personalData: PersonalDataCipher) {
    this.directory = path.join(photoStorageDir, 'appeals');
  }

  /** Seals and writes the document; returns the stored file's path. */
  async store(participantId: string, appealId: string, document: AppealDocument): Promise<string> {
    await fs.mkdir(this.directory, { recursive: true });
    const finalPath = path.join(this.directory, `${appealId}.${document.format.extension}`);
    const content: SealedDocumentContent = { contentBase64: document.bytes.toString('base64'), ...(document.fileName !== undefined ? { fileName: document.fileName } : {}) };
    const sealed = this.personalData.encrypt(content, ENVELOPE_CONTEXT.appealDocument(participantId));
    const temporaryPath = `${finalPath}.${randomUUID()}.tmp`;
    try {
      await fs.writeFile(temporaryPath, sealed, { encoding: 'utf8', mode: 0o600 });
      await fs.rename(temporaryPath, finalPath);
    } catch (error) {
      await fs.rm(temporaryPath, { force: true });
      throw error;
    }
    return finalPath;
  }

  /** The document in clear; undefined when the file is gone (erased, or never written). */
  async read(participantId: string, storedPath: string): Promise<{ bytes: Buffer; fileName?: string } | undefined> {
    let sealed: string;
    try {
      sealed = await fs.readFile(storedPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const content = this.personalData.decrypt<SealedDocumentContent>(sealed, ENVELOPE_CONTEXT.appealDocument(participantId));
    return { bytes: Buffer.from(content.contentBase64, 'base64'), ...(content.fileName !== undefined ? { fileName: content.fileName } : {}) };
  }

  async remove(storedPath: string): Promise<void> {
    await fs.rm(storedPath, { force: true });
  }
}
