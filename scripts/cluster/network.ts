// The cluster topology's network: a bridge on this machine and one network namespace per host,
// each joined to the bridge by a veth pair, all on one /24. This machine (the bridge's address)
// reaches every host, so a browser or curl here talks to the balancer as a client would. Made and
// removed with `ip` (iproute2), which takes root (or CAP_NET_ADMIN and CAP_SYS_ADMIN).
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import type { ClusterTopology } from './topology';

const run = promisify(execFile);

export class ClusterNetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterNetworkError';
  }
}

async function ip(...args: string[]): Promise<string> {
  try {
    return (await run('ip', args, { encoding: 'utf8' })).stdout;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
    throw new ClusterNetworkError(`ip ${args.join(' ')}: ${stderr || (error as Error).message}`);
  }
}

/**
 * Whether this machine lets us make network namespaces; the reason when it does not. Synchronous,
 * so a test suite can decide to skip before it starts.
 */
export function networkNamespacesUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces are a Linux feature';
  if (process.getuid?.() !== 0) return 'making network namespaces takes root (run it as root, or with sudo)';
  const probe = `jalur-probe-${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return `ip netns add failed: ${String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim()}`;
  }
}

async function ourNamespaces(topology: ClusterTopology): Promise<string[]> {
  const listing = await ip('netns', 'list');
  return listing
    .split('\n')
    .map((line) => line.split(' ')[0]!.trim())
    .filter((name) => name.startsWith(topology.namespacePrefix) && !name.startsWith('jalur-probe-'));
}

async function pidsIn(netns: string): Promise<number[]> {
  const listing = await ip('netns', 'pids', netns).catch(() => '');
  return listing.split('\n').filter(Boolean).map(Number);
}

/**
 * Removes what a run killed before it could clean up left behind (namespaces, the bridge). A
 * namespace with processes still in it is another cluster that is running: refused, not broken.
 */
export async function removeLeftovers(topology: ClusterTopology): Promise<void> {
  for (const netns of await ourNamespaces(topology)) {
    const pids = await pidsIn(netns);
    if (pids.length > 0) {
      throw new ClusterNetworkError(
        `network namespace ${netns} still has processes (${pids.slice(0, 5).join(', ')}): another cluster is running. Stop it first (Ctrl-C where it runs), or give this one another CLUSTER_SUBNET and CLUSTER_NAMESPACE_PREFIX.`,
      );
    }
    await ip('netns', 'del', netns);
  }
  if ((await ip('link', 'show')).includes(`${topology.bridge}:`)) await ip('link', 'del', topology.bridge);
}

export interface ClusterNetwork {
  remove(): Promise<void>;
}

export async function createNetwork(topology: ClusterTopology): Promise<ClusterNetwork> {
  await removeLeftovers(topology);
  const made: string[] = [];
  const remove = async () => {
    // Deleting a namespace deletes its end of the veth pair, and so the pair; then the bridge.
    for (const netns of made.reverse()) await ip('netns', 'del', netns).catch(() => undefined);
    await ip('link', 'del', topology.bridge).catch(() => undefined);
  };
  try {
    await ip('link', 'add', topology.bridge, 'type', 'bridge');
    await ip('addr', 'add', `${topology.gateway}/24`, 'dev', topology.bridge);
    await ip('link', 'set', topology.bridge, 'up');
    for (const host of Object.values(topology.hosts)) {
      await ip('netns', 'add', host.netns);
      made.push(host.netns);
      await ip('link', 'add', host.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.netns);
      await ip('link', 'set', host.veth, 'master', topology.bridge, 'up');
      await ip('-n', host.netns, 'addr', 'add', `${host.ip}/24`, 'dev', 'eth0');
      await ip('-n', host.netns, 'link', 'set', 'eth0', 'up');
      await ip('-n', host.netns, 'link', 'set', 'lo', 'up');
      await ip('-n', host.netns, 'route', 'add', 'default', 'via', topology.gateway);
    }
    return { remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
