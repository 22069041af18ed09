// The benchmarks' CPU accounting against real processes: a server whose work is done by a
// grandchild (as the API cluster's workers do) is charged for it, and this process is the client.
import { spawn } from 'node:child_process';
import { cpuBetween, cpuSnapshot } from '../../../bench/cpu-accounting';

// A child that starts a grandchild; the grandchild does some hashing, reports the CPU it used,
// and stays alive (a process that has ended is no longer in /proc to be counted).
const GRANDCHILD = `
const { pbkdf2Sync } = require('node:crypto');
pbkdf2Sync('password', 'salt', 1000000, 32, 'sha256');
const { user, system } = process.cpuUsage();
process.stdout.write('burnt ' + (user + system) / 1e6 + '\\n');
setTimeout(() => {}, 60000);
`;
const CHILD = `
const { spawn } = require('node:child_process');
spawn(process.execPath, ['-e', ${JSON.stringify(GRANDCHILD)}], { stdio: ['ignore', 'inherit', 'inherit'] });
setTimeout(() => {}, 60000);
`;

it('charges a server for the CPU its descendants use, and the client for its own', async () => {
  const ownBefore = process.cpuUsage();
  const before = cpuSnapshot();
  const child = spawn(process.execPath, ['-e', CHILD], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  try {
    const grandchildSeconds = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const burnt = /burnt ([\d.]+)/.exec(chunk.toString());
        if (burnt) resolve(Number(burnt[1]));
      });
      child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
    });
    const spent = cpuBetween(before, cpuSnapshot(), child.pid!);
    const own = process.cpuUsage(ownBefore);

    // The grandchild's own count (about 0.2 s here), less two clock ticks of rounding in /proc.
    expect(grandchildSeconds).toBeGreaterThan(0.05);
    expect(spent.seconds.server).toBeGreaterThanOrEqual(grandchildSeconds - 0.02);
    // This process is the client, charged what it used itself (whatever else it was doing; a
    // test run in band shares it with the suites before), within a few ticks of rounding.
    expect(Math.abs(spent.seconds.client - (own.user + own.system) / 1e6)).toBeLessThanOrEqual(0.05);
    expect(spent.machineBusy).toBeGreaterThan(0);
    expect(spent.machineBusy).toBeLessThanOrEqual(1);
    expect(spent.steal).toBeGreaterThanOrEqual(0);
  } finally {
    // The whole group: the grandchild too.
    process.kill(-child.pid!, 'SIGKILL');
  }
});
