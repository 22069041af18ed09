import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runEnsureScript } from '../../../scripts/stack/child-process';

describe('runEnsureScript', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jalur-ensure-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function script(name: string, body: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `#!/usr/bin/env bash\n${body}\n`);
    return file;
  }

  it("waits for the script's output, not only for its exit", async () => {
    // Node may report a child's exit before the last of its output has been read (seen on a busy
    // machine: the cached path lost, and "spawn temporal-sql-tool ENOENT" after). Here the output
    // comes after the exit for certain: the script leaves it to a background process.
    const late = script('late.sh', '( sleep 0.3; echo "/cache/jalur/temporal-server" ) &\nexit 0');
    await expect(runEnsureScript(late, 'a late part')).resolves.toBe('/cache/jalur/temporal-server');
  });

  it('returns the last line after a long output', async () => {
    const chatty = script('chatty.sh', 'for i in $(seq 1 20000); do echo "building step $i"; done\necho "/cache/jalur/built"');
    await expect(runEnsureScript(chatty, 'a chatty part')).resolves.toBe('/cache/jalur/built');
  });

  it('fails with the part named when the script fails or prints nothing', async () => {
    await expect(runEnsureScript(script('fails.sh', 'echo "no Go toolchain" >&2\nexit 3'), 'the Temporal server')).rejects.toThrow(
      'Could not provide the Temporal server (fails.sh exited with 3; its reason is above)',
    );
    await expect(runEnsureScript(script('silent.sh', 'exit 0'), 'HAProxy')).rejects.toThrow('Could not provide HAProxy (silent.sh printed no path)');
  });
});
