// The production topology on one machine (`npm run cluster`): which hosts there are, their
// addresses, and the configuration files of the parts that are not Jalur's own (the Temporal
// services, the Temporal UI, HAProxy). Pure: it writes nothing and starts nothing, so the files
// it makes are what the unit tests read.

export const CLUSTER_HOST_NAMES = [
  'postgres',
  'temporal-frontend',
  'temporal-history',
  'temporal-matching',
  'temporal-worker',
  'temporal-ui',
  'balancer',
  'api-1',
  'api-2',
  'worker-1',
  'worker-2',
  'simulators',
] as const;
export type ClusterHostName = (typeof CLUSTER_HOST_NAMES)[number];

/** The last octet of each host's address on the cluster's /24; the bridge (this machine) is .1. */
const HOST_OCTETS: Record<ClusterHostName, number> = {
  postgres: 2,
  'temporal-frontend': 3,
  'temporal-history': 4,
  'temporal-matching': 5,
  'temporal-worker': 6,
  'temporal-ui': 7,
  balancer: 10,
  'api-1': 11,
  'api-2': 12,
  'worker-1': 21,
  'worker-2': 22,
  simulators: 30,
};

export const TEMPORAL_SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

/** Ports, the same on every host (each host has its own address). */
export const CLUSTER_PORTS = {
  postgres: 5432,
  temporalGrpc: { frontend: 7233, history: 7234, matching: 7235, worker: 7239 },
  temporalMembership: { frontend: 6933, history: 6934, matching: 6935, worker: 6939 },
  temporalFrontendHttp: 7243,
  temporalMetrics: 8000,
  /** The Temporal UI on its host, and where the balancer serves it. */
  temporalUi: 8080,
  balancerTemporalUi: 8233,
  api: 8080,
  balancerStats: 8404,
  simulators: 4000,
  smtp: 2525,
  workerMetrics: 9464,
} as const;

export interface ClusterTopology {
  /** The first three octets of the /24 the hosts share, e.g. 10.77.0. */
  subnet: string;
  /** The bridge's address: this machine as the hosts see it. */
  gateway: string;
  /** Network namespace names start with this, so leftovers of a killed run are found. */
  namespacePrefix: string;
  bridge: string;
  hosts: Record<ClusterHostName, { name: ClusterHostName; ip: string; netns: string; veth: string }>;
  historyShards: number;
}

export function clusterTopology(options: { subnet?: string; historyShards?: number; namespacePrefix?: string } = {}): ClusterTopology {
  const subnet = options.subnet ?? '10.77.0';
  if (!/^\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(subnet)) throw new Error(`CLUSTER_SUBNET must be the first three octets of a /24, like 10.77.0 (got ${subnet})`);
  const namespacePrefix = options.namespacePrefix ?? 'jalur-';
  const hosts = Object.fromEntries(
    CLUSTER_HOST_NAMES.map((name, index) => [
      name,
      // Interface names have at most 15 characters: the host side is named by index.
      { name, ip: `${subnet}.${HOST_OCTETS[name]}`, netns: `${namespacePrefix}${name}`, veth: `${namespacePrefix}v${index}`.slice(0, 15) },
    ]),
  ) as ClusterTopology['hosts'];
  return { subnet, gateway: `${subnet}.1`, namespacePrefix, bridge: `${namespacePrefix}br`.slice(0, 15), hosts, historyShards: options.historyShards ?? 4 };
}

/** Where the parts reach one another, as URLs and addresses. */
export function clusterEndpoints(topology: ClusterTopology) {
  const { hosts } = topology;
  return {
    temporalAddress: `${hosts['temporal-frontend'].ip}:${CLUSTER_PORTS.temporalGrpc.frontend}`,
    postgresAddress: `${hosts.postgres.ip}:${CLUSTER_PORTS.postgres}`,
    apiUrl: `http://${hosts.balancer.ip}:${CLUSTER_PORTS.api}`,
    temporalUiUrl: `http://${hosts.balancer.ip}:${CLUSTER_PORTS.balancerTemporalUi}`,
    balancerStatsUrl: `http://${hosts.balancer.ip}:${CLUSTER_PORTS.balancerStats}/stats`,
    simulatorsUrl: `http://${hosts.simulators.ip}:${CLUSTER_PORTS.simulators}`,
    smtp: { host: hosts.simulators.ip, port: CLUSTER_PORTS.smtp },
  };
}

/** The databases Temporal keeps, and the account it uses (PostgreSQL on the postgres host). */
export const TEMPORAL_DATABASE = { user: 'temporal', password: 'temporal', store: 'temporal', visibility: 'temporal_visibility' } as const;

const hostOfService = (service: TemporalService): ClusterHostName => `temporal-${service}`;

/**
 * One Temporal service's configuration (the server's config/<env>.yaml; JSON is YAML): the
 * module's config/development-postgres12.yaml with each service bound to its own host's address,
 * membership announced on it, and the shard count chosen.
 */
export function temporalServiceConfig(topology: ClusterTopology, service: TemporalService, dynamicConfigPath: string): Record<string, unknown> {
  const ip = topology.hosts[hostOfService(service)].ip;
  const endpoints = clusterEndpoints(topology);
  const datastore = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: endpoints.postgresAddress,
      connectProtocol: 'tcp',
      user: TEMPORAL_DATABASE.user,
      password: TEMPORAL_DATABASE.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  return {
    log: { stdout: true, level: 'warn', format: 'console' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: topology.historyShards,
      datastores: { 'postgres-default': datastore(TEMPORAL_DATABASE.store, 20), 'postgres-visibility': datastore(TEMPORAL_DATABASE.visibility, 5) },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: ip },
      metrics: { prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `${ip}:${CLUSTER_PORTS.temporalMetrics}` } },
    },
    services: Object.fromEntries(
      TEMPORAL_SERVICES.map((name) => [
        name,
        {
          rpc: {
            grpcPort: CLUSTER_PORTS.temporalGrpc[name],
            membershipPort: CLUSTER_PORTS.temporalMembership[name],
            bindOnIP: ip,
            ...(name === 'frontend' ? { httpPort: CLUSTER_PORTS.temporalFrontendHttp } : {}),
          },
        },
      ]),
    ),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: endpoints.temporalAddress } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    // The worker service (schedules, batch operations, the system workflows) reaches the frontend here.
    publicClient: { hostPort: endpoints.temporalAddress },
    dynamicConfigClient: { filepath: dynamicConfigPath, pollInterval: '10s' },
  };
}

/**
 * Dynamic configuration every service reads. A search attribute added by the setup step is
 * usable at once rather than after the cache's minute (the workers start right after it).
 */
export function temporalDynamicConfig(): Record<string, Array<{ value: unknown }>> {
  return {
    'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true }],
  };
}

/**
 * The Temporal UI server's configuration. It is served to browsers through the balancer, on the
 * API's host name with another port, so the API's codec session cookie (SameSite=Strict) reaches
 * the codec endpoint from the UI's pages.
 */
export function temporalUiConfig(topology: ClusterTopology, namespace: string): Record<string, unknown> {
  const endpoints = clusterEndpoints(topology);
  return {
    temporalGrpcAddress: endpoints.temporalAddress,
    host: topology.hosts['temporal-ui'].ip,
    port: CLUSTER_PORTS.temporalUi,
    enableUi: true,
    defaultNamespace: namespace,
    cors: { allowOrigins: [endpoints.temporalUiUrl], cookieInsecure: true },
    codec: { endpoint: `${endpoints.apiUrl}/codec`, includeCredentials: true },
    refreshInterval: '1m',
    notifyOnNewVersion: false,
  };
}

/**
 * HAProxy on the balancer host: the API hosts round-robin, each checked on /health/live every second
 * and out after three failures (a refused connection fails at once, a slow answer after 5 s); a request whose connection to a host fails goes to the other one
 * (never a request a host had begun to answer: a POST is not repeated behind the client's back).
 */
export function haproxyConfig(topology: ClusterTopology): string {
  const { hosts } = topology;
  const balancer = hosts.balancer.ip;
  return [
    'global',
    // Two file descriptors a connection: within this machine's usual limit of 20,000.
    '  maxconn 8000',
    '',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 65s',
    '  timeout server 65s',
    // Each hop's idle timeout longer than its client's, so that no side reuses a connection the
    // other is closing (seen as "other side closed" under load): a client keeps an idle
    // connection 4 s (undici's default) against the balancer's 30 s, and the balancer opens a new
    // connection to an API host for each request, so the API's own 5 s never races it.
    '  timeout http-keep-alive 30s',
    '  option http-server-close',
    '  option forwardfor',
    '  option redispatch',
    '  retries 2',
    '  retry-on conn-failure',
    '',
    'frontend api',
    `  bind ${balancer}:${CLUSTER_PORTS.api}`,
    '  default_backend api_hosts',
    '',
    'backend api_hosts',
    '  balance roundrobin',
    '  option httpchk GET /health/live',
    // A busy host answers late, a dead one refuses at once: a check may take 5 s before it
    // counts as failed, and three failures take a host out. With 1 s, both API hosts of a
    // saturated 2-core machine were marked down in turn and HAProxy answered 503 itself.
    '  timeout check 5s',
    '  default-server inter 1s fall 3 rise 2',
    ...(['api-1', 'api-2'] as const).map((name) => `  server ${name} ${hosts[name].ip}:${CLUSTER_PORTS.api} check`),
    '',
    'frontend temporal_ui',
    `  bind ${balancer}:${CLUSTER_PORTS.balancerTemporalUi}`,
    '  default_backend temporal_ui_host',
    '',
    'backend temporal_ui_host',
    `  server temporal-ui ${hosts['temporal-ui'].ip}:${CLUSTER_PORTS.temporalUi} check`,
    '',
    'frontend stats',
    `  bind ${balancer}:${CLUSTER_PORTS.balancerStats}`,
    '  stats enable',
    '  stats uri /stats',
    '  stats refresh 2s',
    '',
  ].join('\n');
}
