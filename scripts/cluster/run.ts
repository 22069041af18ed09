// `npm run cluster`: the production topology on this machine (scripts/cluster/cluster.ts), in one
// terminal; Ctrl-C stops every part and removes the network namespaces. Takes root.
//
//   npm run cluster -- [--history-shards 4] [--data-dir data/cluster]
//   (CLUSTER_SUBNET, default 10.77.0, and CLUSTER_NAMESPACE_PREFIX, default jalur-, move it aside.)
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEVELOPMENT_API_KEYS } from '../../lib/config';
import { startCluster } from './cluster';
import { CLUSTER_PORTS } from './topology';

async function main() {
  const { values } = parseArgs({
    options: { 'history-shards': { type: 'string', default: '4' }, 'data-dir': { type: 'string', default: path.join('data', 'cluster') } },
  });
  const historyShards = Number(values['history-shards']);
  if (!Number.isInteger(historyShards) || historyShards < 1 || historyShards > 16_384) throw new Error('--history-shards takes a whole number from 1 to 16384');

  console.log('Starting the Jalur cluster topology…');
  const cluster = await startCluster({
    dataDir: values['data-dir'],
    historyShards,
    subnet: process.env.CLUSTER_SUBNET,
    namespacePrefix: process.env.CLUSTER_NAMESPACE_PREFIX,
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the cluster…`);
    await cluster.stop();
    console.log(`Stopped; network namespaces removed. Data kept in ${path.resolve(values['data-dir'])}`);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // Unlike `npm start`, one part dying leaves the others up: that is what the topology is for
  // (the balancer routes around an API host, the other worker carries on). It is reported.
  for (const [name, part] of cluster.parts) {
    void part.exited.then((code) => {
      if (!stopping) console.error(`${name} exited (code ${code}); the rest of the cluster stays up. Ctrl-C stops it all.`);
    });
  }

  const { hosts } = cluster.topology;
  const { endpoints } = cluster;
  console.log(
    [
      '',
      `The Jalur cluster is running (${cluster.topology.historyShards} history shards), each part a host of its own:`,
      `  API (HAProxy)     ${endpoints.apiUrl}   → api-1 ${hosts['api-1'].ip}, api-2 ${hosts['api-2'].ip}   (balancer stats: ${endpoints.balancerStatsUrl})`,
      `  Console           ${endpoints.apiUrl}/console/`,
      `  Temporal UI       ${endpoints.temporalUiUrl}   (through the balancer; codec ${endpoints.apiUrl}/codec)`,
      `  Temporal          frontend ${endpoints.temporalAddress}, history ${hosts['temporal-history'].ip}, matching ${hosts['temporal-matching'].ip}, worker ${hosts['temporal-worker'].ip}`,
      `  Workers           worker-1 ${hosts['worker-1'].ip}, worker-2 ${hosts['worker-2'].ip}`,
      `  PostgreSQL        ${hosts.postgres.ip}:${CLUSTER_PORTS.postgres} (databases jalur, temporal, temporal_visibility)`,
      `  Simulators        ${endpoints.simulatorsUrl}   (SMTP ${endpoints.smtp.host}:${endpoints.smtp.port})`,
      `  Logs              Jalur's parts here; the Temporal services, the UI and the balancer in ${cluster.logDir}`,
      `  Run a command on a host: ip netns exec ${hosts['api-1'].netns} <command>`,
      `  Dev API keys      ${DEVELOPMENT_API_KEYS.map(({ key }) => key).join(', ')}`,
      '',
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(`\nThe cluster could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
