// Runs one part of the local stack as a child process: its output prefixed with its name, a
// readiness probe with a deadline, a stop that escalates from its stop signal to SIGKILL, and a
// reaper that stops it if this process dies first.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Writable } from 'node:stream';

const COLORS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m', '\x1b[34m', '\x1b[31m'];
let nextColor = 0;

export interface ManagedChild {
  name: string;
  process: ChildProcess;
  /** Resolves with the exit code once the child has ended. */
  exited: Promise<number | null>;
  /** Whether stop() was called: an exit after it was asked for, not a crash. */
  stopRequested(): boolean;
  /** What to print when it ended unasked: its name, exit code and last lines of output (up to 15). */
  describeExit(code: number | null): string;
  stop(timeoutMs?: number): Promise<void>;
}

export interface StartChildOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Resolves true once the child serves; polled until readyTimeoutMs. */
  ready?: () => Promise<boolean>;
  readyTimeoutMs?: number;
  /** Where output lines go; defaults to this process's stdout with a coloured prefix. */
  output?: (line: string) => void;
  /** The signal that asks it to stop cleanly (default SIGTERM). */
  stopSignal?: NodeJS.Signals;
  /** 'background': the lowest CPU priority, for parts that can wait while the API answers (backgroundCommand). */
  cpuPriority?: 'normal' | 'background';
  /** Lines that are expected noise once the child was asked to stop: not shown after that. */
  noiseWhileStopping?: (line: string) => boolean;
  /** Run as this account (PostgreSQL refuses to run as root). */
  uid?: number;
  gid?: number;
  /**
   * Run inside this network namespace (`ip netns`, as root): a host of the cluster topology. The
   * process is the command itself (`ip netns exec` and `setpriv` exec it), so its pid, signals and
   * process group are as without one.
   */
  netns?: string;
}

/**
 * The command line that runs `command` in a network namespace, then as the account: entering a
 * namespace takes root, so the account is taken after it (setpriv), not by spawn.
 */
function inNetworkNamespace(netns: string, command: string, args: string[], account: { uid?: number; gid?: number }): [string, string[]] {
  const asAccount = account.uid === undefined ? [] : ['setpriv', `--reuid=${account.uid}`, `--regid=${account.gid ?? account.uid}`, '--clear-groups'];
  return ['ip', ['netns', 'exec', netns, ...asAccount, command, ...args]];
}

/**
 * Background CPU priority: nice 19, set at exec through nice(1), not with os.setPriority
 * afterwards (that reaches only the calling thread, and the threads a process made already, V8's,
 * libuv's or Go's, would keep their priority).
 */
function backgroundCommand(command: string, args: string[]): [string, string[]] {
  if (process.platform === 'win32') return [command, args];
  return ['nice', ['-n', '19', command, ...args]];
}

/**
 * On Linux a process's nice value ranks it only against the processes of its own session (the
 * scheduler's autogroups, on by default): the CPU is first shared evenly between sessions. Every
 * child runs in a session of its own (`detached`), so nice 19 alone changed nothing: measured on
 * the whole-stack spike, the API's event loop spent 22 s of a 60 s load runnable but waiting for
 * a CPU the worker and the dev server held. So a background child's session is niced as well.
 * The kernel lets an unprivileged process do this once per 100 ms (EAGAIN otherwise).
 */
async function niceAutogroup(pid: number): Promise<{ failed: string } | undefined> {
  const file = `/proc/${pid}/autogroup`;
  if (process.platform !== 'linux' || !fs.existsSync(file)) return undefined;
  for (let attempt = 1; ; attempt += 1) {
    try {
      fs.writeFileSync(file, '19');
      return undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' || attempt === 10) return { failed: code ?? String(error) };
      await new Promise((resolve) => setTimeout(resolve, 110));
    }
  }
}

let reaperInput: Writable | undefined;

/**
 * The children are in process groups of their own (so a Ctrl-C reaches the orchestrator alone,
 * which stops them in order), so nothing stops them if the orchestrator dies without doing it.
 * One reaper process per orchestrator does (scripts/stack/reaper.js): it holds a pipe from this
 * process and stops every group still listed when the pipe closes.
 */
function tellReaper(line: string): void {
  if (!reaperInput) {
    const reaper = spawn(process.execPath, [path.join(__dirname, 'reaper.js')], { stdio: ['pipe', 'ignore', 'inherit'], detached: true });
    reaper.unref();
    const input = reaper.stdin!;
    // Neither the reaper nor its pipe may keep this process alive.
    (input as unknown as { unref?: () => void }).unref?.();
    input.on('error', () => undefined);
    reaperInput = input;
  }
  reaperInput.write(`${line}\n`);
}

export class ChildFailedToStartError extends Error {
  constructor(name: string, reason: string, lastLines: string[]) {
    super(`${name} failed to start: ${reason}${lastLines.length ? `\n  last output:\n    ${lastLines.join('\n    ')}` : ''}`);
    this.name = 'ChildFailedToStartError';
  }
}

export async function startChild(options: StartChildOptions): Promise<ManagedChild> {
  const color = COLORS[nextColor++ % COLORS.length];
  const prefix = process.stdout.isTTY ? `${color}[${options.name}]\x1b[0m ` : `[${options.name}] `;
  const output = options.output ?? ((line: string) => process.stdout.write(`${prefix}${line}\n`));
  let [command, args] = options.netns
    ? inNetworkNamespace(options.netns, options.command, options.args, options)
    : [options.command, options.args];
  if (options.cpuPriority === 'background') [command, args] = backgroundCommand(command, args);
  const child = spawn(command, args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: Ctrl-C in the terminal reaches the orchestrator, which stops children in order.
    detached: true,
    uid: options.netns ? undefined : options.uid,
    gid: options.netns ? undefined : options.gid,
  });
  const stopSignal = options.stopSignal ?? 'SIGTERM';
  if (child.pid !== undefined) tellReaper(`add ${child.pid} ${stopSignal}`);
  if (child.pid !== undefined && options.cpuPriority === 'background') {
    const autogroup = await niceAutogroup(child.pid);
    if (autogroup) output(`warning: its session's CPU priority could not be lowered (${autogroup.failed}); it competes with the API for the CPU`);
  }
  const lastLines: string[] = [];
  let stopping = false;
  for (const stream of [child.stdout!, child.stderr!]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      lastLines.push(line);
      if (lastLines.length > 15) lastLines.shift();
      if (stopping && options.noiseWhileStopping?.(line)) return;
      output(line);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
    tellReaper(`remove ${child.pid}`);
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  const managed: ManagedChild = {
    name: options.name,
    process: child,
    exited,
    stopRequested: () => stopping,
    describeExit: (code) => `${options.name} exited with code ${code}. Its last output:\n  ${lastLines.join('\n  ')}`,
    async stop(timeoutMs = 10_000) {
      if (hasExited) return;
      stopping = true;
      // The stop signal to the process alone (it stops its own children in order); SIGKILL, if it
      // comes to that, to its whole process group, so nothing it started is left behind.
      child.kill(stopSignal);
      const timer = setTimeout(() => killGroup(child), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };

  if (!options.ready) return managed;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    const failure = await Promise.race([
      spawnError.then((error) => error.message),
      exited.then((code) => `exited with code ${code}`),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 250)),
    ]);
    if (failure) throw new ChildFailedToStartError(options.name, failure, lastLines);
    if (await options.ready().catch(() => false)) return managed;
    if (Date.now() > deadline) {
      await managed.stop(2_000);
      throw new ChildFailedToStartError(options.name, `not ready after ${options.readyTimeoutMs ?? 60_000} ms`, lastLines);
    }
  }
}

/** A readiness probe: the URL answers 2xx. */
export function httpReady(url: string): () => Promise<boolean> {
  return async () => (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Runs one of the scripts that provide a tool, building or installing it once when absent
 * (ensure-temporal-cli.sh and the cluster's): it prints the tool's path last on stdout, and what
 * it is doing (a first build takes minutes) goes to this terminal's stderr as it happens.
 */
export async function runEnsureScript(script: string, what: string): Promise<string> {
  const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  // 'close', not 'exit': the process can be reported gone before the last of its output (the
  // path) has been read.
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`Could not provide ${what} (${path.basename(script)} exited with ${code}; its reason is above)`);
  const toolPath = stdout.trim().split('\n').at(-1);
  if (!toolPath) throw new Error(`Could not provide ${what} (${path.basename(script)} printed no path)`);
  return toolPath;
}
