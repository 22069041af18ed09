// A progress bar on stderr (stdout carries the benchmark's JSON). On a terminal it is redrawn in
// place at most 5 times a second; into a file or pipe (CI, `> log`) it prints a line per tenth
// done instead, so a log holds eleven lines rather than thousands of redraws.
export function progressBar(label: string, total: number): { update(done: number): void; end(): void } {
  const interactive = process.stderr.isTTY === true;
  let lastDrawnAt = 0;
  let lastTenth = -1;
  const bar = (done: number) => {
    const width = 40;
    const filled = Math.round((done / total) * width);
    return `${label.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
  };
  return {
    update(done) {
      if (interactive) {
        const now = Date.now();
        if (now - lastDrawnAt < 200 && done < total) return;
        lastDrawnAt = now;
        process.stderr.write(`\r${bar(done)}`);
        return;
      }
      const tenth = Math.floor((done / total) * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      process.stderr.write(`${bar(done)}\n`);
    },
    end() {
      if (interactive) process.stderr.write(`\r${bar(total)}\n`);
      else if (lastTenth < 10) process.stderr.write(`${bar(total)}\n`);
    },
  };
}
