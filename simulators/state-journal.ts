/**
 * Append-only JSON-lines journals that keep the simulators' state across restarts: one short
 * line per change, written before the answer that reports the change, replayed at start.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { z } from 'zod';

export interface StateJournal<Entry> {
  /** Returns once the entry is in the operating system's hands. */
  append(entry: Entry): void;
  /** Forgets every entry (the reset controls). */
  clear(): void;
  close(): void;
}

/** For simulators built without a data folder (unit tests): state lives in memory only. */
export function memoryOnlyJournal<Entry>(): StateJournal<Entry> {
  return { append: () => undefined, clear: () => undefined, close: () => undefined };
}

/** A line in the middle of a journal that cannot be read: refusing to start beats silently losing what follows. */
export class JournalCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file} line ${line} cannot be read (${reason}); fix or remove the file to start`);
    this.name = 'JournalCorruptError';
  }
}

type LineReading<Entry> = { ok: true; entry: Entry } | { ok: false; reason: string };

function readLine<Schema extends z.ZodType>(text: string, schema: Schema): LineReading<z.output<Schema>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the line, and lines hold personal data: keep it out of logs.
    return { ok: false, reason: 'not valid JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, reason: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(entry)'}: ${issue.message}`).join('; ') };
  }
  return { ok: true, entry: parsed.data };
}

/**
 * Reads every entry. A final line that cannot be read is what a crash in the middle of a write
 * leaves: it is dropped with a warning and cut off the file, so the next append starts on a
 * clean line. An unreadable line before it is an error.
 */
function recoverEntries<Schema extends z.ZodType>(file: string, schema: Schema, logger: Logger): z.output<Schema>[] {
  if (!fs.existsSync(file)) {
    return [];
  }
  const content = fs.readFileSync(file);
  const entries: z.output<Schema>[] = [];
  let lineStart = 0;
  let lineNumber = 0;
  while (lineStart < content.length) {
    const newline = content.indexOf(0x0a, lineStart);
    const lineEnd = newline === -1 ? content.length : newline;
    const nextLineStart = lineEnd + 1;
    lineNumber += 1;
    const text = content.toString('utf8', lineStart, lineEnd);
    if (text.trim() !== '') {
      const reading = readLine(text, schema);
      if (!reading.ok) {
        if (content.subarray(nextLineStart).toString('utf8').trim() !== '') {
          throw new JournalCorruptError(file, lineNumber, reading.reason);
        }
        logger.warn({ file, line: lineNumber, reason: reading.reason }, 'dropping an unreadable last journal line (a write cut short by a crash)');
        fs.truncateSync(file, lineStart);
        return entries;
      }
      entries.push(reading.entry);
    }
    lineStart = nextLineStart;
  }
  if (content.length > 0 && content[content.length - 1] !== 0x0a) {
    // A complete entry whose newline was lost: end it, or the next entry would be glued to it.
    fs.appendFileSync(file, '\n');
  }
  return entries;
}

/**
 * Writes go straight to the file descriptor (no buffering in this process), so a process crash
 * loses nothing that was answered. There is no fsync per change on purpose: it would cap the
 * simulators far below what the benchmarks push, and surviving a power cut is not their job.
 */
export class JsonLinesJournal<Entry> implements StateJournal<Entry> {
  private fd: number | undefined;

  private constructor(
    readonly file: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Creates the file if needed, reads what it holds, and opens it for appending. */
  static open<Schema extends z.ZodType>(
    file: string,
    schema: Schema,
    logger: Logger,
  ): { journal: JsonLinesJournal<z.output<Schema>>; recovered: z.output<Schema>[] } {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const recovered = recoverEntries(file, schema, logger);
    return { journal: new JsonLinesJournal<z.output<Schema>>(file, fs.openSync(file, 'a')), recovered };
  }

  append(entry: Entry): void {
    const bytes = Buffer.from(`${JSON.stringify(entry)}\n`);
    const fd = this.openFd();
    let written = 0;
    while (written < bytes.length) {
      written += fs.writeSync(fd, bytes, written);
    }
  }

  clear(): void {
    // The descriptor appends, so the next write lands at the new end: offset 0.
    fs.ftruncateSync(this.openFd(), 0);
  }

  close(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private openFd(): number {
    if (this.fd === undefined) {
      throw new Error(`${this.file} is closed: the simulators are shutting down`);
    }
    return this.fd;
  }
}
