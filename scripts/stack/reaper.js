// Stops a stack whose orchestrator (`npm start`, the test run, a benchmark) died without stopping
// it: a Ctrl-C that jest does not survive, a SIGKILL, a crash. The orchestrator holds this
// process's stdin and names each process group it starts ("add <pid> <signal>") and each it stopped
// itself ("remove <pid>"). When stdin ends, the orchestrator is gone: every group still listed gets
// its own stop signal, then SIGKILL after a grace period. Plain JavaScript: it must start fast.
'use strict';

const GRACE_MS = 10_000;
const groups = new Map();
let pending = '';
let reaping = false;

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop();
  for (const line of lines) {
    const [command, pid, signal] = line.trim().split(' ');
    if (command === 'add') groups.set(Number(pid), signal || 'SIGTERM');
    if (command === 'remove') groups.delete(Number(pid));
  }
});
process.stdin.on('end', reap);
process.stdin.on('error', reap);

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

async function reap() {
  if (reaping) return;
  reaping = true;
  for (const [pid, signal] of groups) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
  const deadline = Date.now() + GRACE_MS;
  while (Date.now() < deadline && [...groups.keys()].some(isAlive)) await new Promise((resolve) => setTimeout(resolve, 100));
  for (const pid of groups.keys()) signalGroup(pid, 'SIGKILL');
  process.exit(0);
}
