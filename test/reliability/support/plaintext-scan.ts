// Looks for personal data in plain text in whatever bytes a system keeps or says: known values
// (a participant's NIK, phone, account number, in the spellings they travel in) and anything
// shaped like a NIK. Shared by the reliability suite's scans of logs, the Temporal database and
// operator responses.
import fs from 'node:fs';

export interface Needle {
  what: string;
  value: string;
}

export interface Finding {
  where: string;
  what: string;
  /** A few characters around the hit, with the hit itself masked: the report must not leak it. */
  context: string;
}

/** A phone as it may be written: +62812..., 62812..., 0812.... */
export function phoneSpellings(phone: string): string[] {
  const digits = phone.replace(/\D/g, '');
  const national = digits.startsWith('62') ? digits.slice(2) : digits.replace(/^0/, '');
  return [`+62${national}`, `62${national}`, `0${national}`];
}

export function findNeedles(where: string, haystack: Buffer | string, needles: Needle[]): Finding[] {
  const bytes = typeof haystack === 'string' ? Buffer.from(haystack) : haystack;
  const findings: Finding[] = [];
  for (const needle of needles) {
    const at = bytes.indexOf(needle.value);
    if (at < 0) continue;
    const around = bytes.subarray(Math.max(0, at - 40), at + needle.value.length + 40).toString('latin1').replace(needle.value, '«…»').replace(/[^\x20-\x7e]/g, '.');
    findings.push({ where, what: needle.what, context: around });
  }
  return findings;
}

/** 16 digits on their own, province code first: a NIK, whoever's. */
const NIK_SHAPE = /(?<![0-9])(1[1-9]|[2-9][0-9])[0-9]{14}(?![0-9])/g;

/**
 * Hex strings of 32 characters or more: digests and random values (a wave's lottery seed, each
 * applicant's lottery ticket). A 64-character one holds a NIK-shaped run of digits about once in
 * 280, so the wave's seed and ticket alone made the scan fail about one run in 140.
 */
const LONG_HEX = /[0-9a-f]{32,}/gi;

export function findNikShapes(where: string, text: string): Finding[] {
  // Blanked, not cut out, so the positions (and the context reported) stay those of the text.
  const withoutHex = text.replace(LONG_HEX, (hex) => '#'.repeat(hex.length));
  return [...withoutHex.matchAll(NIK_SHAPE)].map((match) => ({ where, what: 'NIK-shaped number', context: text.slice(Math.max(0, match.index - 40), match.index).replace(/[^\x20-\x7e]/g, '.') + '«…»' }));
}

/** The file and, for SQLite in WAL mode, its not yet checkpointed pages. */
export function readWithWal(file: string): Buffer {
  return Buffer.concat([file, `${file}-wal`].filter((part) => fs.existsSync(part)).map((part) => fs.readFileSync(part)));
}
