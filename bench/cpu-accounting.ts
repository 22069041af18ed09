// Where the machine's CPU went during a load, read from /proc (Linux): the server under test (a
// process and its descendants, so every API cluster process counts), the load client (this
// process), PostgreSQL, the Temporal server, everything else, and the hypervisor's steal. On a
// 2-core machine the load client and the server share the cores, and a slow run is only
// explained by knowing who had them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { round } from './signup-load';

interface ProcessTicks {
  command: string;
  parentPid: number;
  /** utime + stime, in clock ticks. */
  ticks: number;
}

export interface CpuSnapshot {
  processes: Map<number, ProcessTicks>;
  /** The machine's counters from /proc/stat's first line, in clock ticks summed over all cores. */
  machine: { total: number; idle: number; steal: number };
}

export interface CpuShares {
  /** CPU seconds each part used between the two snapshots. */
  seconds: { server: number; client: number; postgres: number; temporal: number; other: number };
  /** Of all cores' time in the window: busy, and stolen by the hypervisor (0..1). */
  machineBusy: number;
  steal: number;
}

let ticksPerSecond: number | undefined;
const clockTicksPerSecond = () => (ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100);

function readProcess(pid: number): ProcessTicks | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command is in parentheses and may hold spaces; the fields after it are space-separated.
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    return { command: stat.slice(stat.indexOf('(') + 1, close), parentPid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // ended between the listing and the read
  }
}

export function cpuSnapshot(): CpuSnapshot {
  const processes = new Map<number, ProcessTicks>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ticks = readProcess(Number(entry));
    if (ticks) processes.set(Number(entry), ticks);
  }
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice
  const counters = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = counters as [number, number, number, number, number, number, number, number];
  return { processes, machine: { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait, steal } };
}

function descendantsOf(rootPid: number, processes: Map<number, ProcessTicks>): Set<number> {
  const tree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, { parentPid }] of processes) {
      if (!tree.has(pid) && tree.has(parentPid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return tree;
}

/**
 * The CPU each part used between two snapshots. A process that ended in between is not counted
 * (its ticks are gone with it); the parts measured here live through the whole load.
 */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot, serverPid: number): CpuShares {
  const perSecond = clockTicksPerSecond();
  const server = descendantsOf(serverPid, after.processes);
  const seconds = { server: 0, client: 0, postgres: 0, temporal: 0, other: 0 };
  for (const [pid, now] of after.processes) {
    const used = (now.ticks - (before.processes.get(pid)?.ticks ?? 0)) / perSecond;
    if (server.has(pid)) seconds.server += used;
    else if (pid === process.pid) seconds.client += used;
    else if (now.command === 'postgres') seconds.postgres += used;
    else if (now.command === 'temporal') seconds.temporal += used;
    else seconds.other += used;
  }
  const total = after.machine.total - before.machine.total;
  return {
    seconds: Object.fromEntries(Object.entries(seconds).map(([part, value]) => [part, round(value, 2)])) as CpuShares['seconds'],
    machineBusy: total > 0 ? round(1 - (after.machine.idle - before.machine.idle) / total, 3) : 0,
    steal: total > 0 ? round((after.machine.steal - before.machine.steal) / total, 3) : 0,
  };
}
