// A progress bar on stderr (stdout carries the benchmark's JSON), redrawn at most 5 times a second.
export function progressBar(label: string, total: number): { update(done: number): void; end(): void } {
  let last = 0;
  const draw = (done: number) => {
    const width = 40;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r${label.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  };
  return {
    update(done) {
      const now = Date.now();
      if (now - last < 200 && done < total) return;
      last = now;
      draw(done);
    },
    end() {
      draw(total);
      process.stderr.write('\n');
    },
  };
}
