// Searches files too large to read at once (the Temporal server's database after a whole test run
// is gigabytes) for strings, chunk by chunk, with an overlap so a match across chunks is found.
import fs from 'node:fs';

const CHUNK_BYTES = 64 * 1024 * 1024;

/** Which of `needles` occur (as latin1/UTF-8 bytes of ASCII text) in any of `files` that exist. */
export function findInFiles(files: readonly string[], needles: readonly string[]): Set<string> {
  const found = new Set<string>();
  const overlap = Math.max(...needles.map((needle) => needle.length)) - 1;
  for (const file of files.filter((candidate) => fs.existsSync(candidate))) {
    const descriptor = fs.openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(CHUNK_BYTES + overlap);
      let carried = 0;
      for (;;) {
        const read = fs.readSync(descriptor, buffer, carried, CHUNK_BYTES, null);
        if (read === 0) break;
        const end = carried + read;
        const text = buffer.toString('latin1', 0, end);
        for (const needle of needles) if (text.includes(needle)) found.add(needle);
        // The chunk's last bytes start the next one: a match across the boundary is whole there.
        const keep = Math.min(overlap, end);
        buffer.copy(buffer, 0, end - keep, end);
        carried = keep;
      }
    } finally {
      fs.closeSync(descriptor);
    }
  }
  return found;
}
