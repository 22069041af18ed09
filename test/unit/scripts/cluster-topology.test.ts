// The cluster topology's addresses and the configuration files it writes for the parts that are
// not Jalur's own: each Temporal service bound to its own host, PostgreSQL as their store, the
// shard count chosen, the UI pointed at the codec through the balancer, HAProxy over both API hosts.
import { CLUSTER_HOST_NAMES, CLUSTER_PORTS, clusterEndpoints, clusterTopology, haproxyConfig, TEMPORAL_SERVICES, temporalServiceConfig, temporalUiConfig } from '../../../scripts/cluster/topology';

describe('cluster topology', () => {
  it('gives every host its own address and namespace on one /24, and short interface names', () => {
    const topology = clusterTopology({ subnet: '10.88.3' });
    const hosts = CLUSTER_HOST_NAMES.map((name) => topology.hosts[name]);
    expect(new Set(hosts.map((host) => host.ip)).size).toBe(CLUSTER_HOST_NAMES.length);
    expect(hosts.every((host) => host.ip.startsWith('10.88.3.') && host.ip !== topology.gateway)).toBe(true);
    expect(new Set(hosts.map((host) => host.netns)).size).toBe(CLUSTER_HOST_NAMES.length);
    expect(hosts.every((host) => host.netns.startsWith('jalur-'))).toBe(true);
    // Linux refuses interface names over 15 characters.
    expect([topology.bridge, ...hosts.map((host) => host.veth)].every((name) => name.length <= 15)).toBe(true);
    expect(new Set(hosts.map((host) => host.veth)).size).toBe(CLUSTER_HOST_NAMES.length);
    expect(topology.gateway).toBe('10.88.3.1');
  });

  it('refuses a subnet that is not three octets', () => {
    expect(() => clusterTopology({ subnet: '10.77.0.0/24' })).toThrow(/CLUSTER_SUBNET/);
  });

  it('binds each Temporal service to its own host, on PostgreSQL, with the shards chosen', () => {
    const topology = clusterTopology({ historyShards: 1 });
    const endpoints = clusterEndpoints(topology);
    for (const service of TEMPORAL_SERVICES) {
      const config = temporalServiceConfig(topology, service, '/data/dynamicconfig.yaml') as any;
      const ip = topology.hosts[`temporal-${service}`].ip;
      expect(config.global.membership.broadcastAddress).toBe(ip);
      expect(config.services[service].rpc).toMatchObject({ bindOnIP: ip, grpcPort: CLUSTER_PORTS.temporalGrpc[service] });
      expect(config.persistence.numHistoryShards).toBe(1);
      expect(config.persistence.datastores['postgres-default'].sql).toMatchObject({ pluginName: 'postgres12', connectAddr: endpoints.postgresAddress, databaseName: 'temporal' });
      expect(config.persistence.datastores['postgres-visibility'].sql).toMatchObject({ databaseName: 'temporal_visibility' });
      expect(config.publicClient.hostPort).toBe(endpoints.temporalAddress);
      expect(config.clusterMetadata.clusterInformation.active.rpcAddress).toBe(endpoints.temporalAddress);
      // Nothing left on the loopback address, where the other hosts cannot reach it.
      expect(JSON.stringify(config)).not.toMatch(/127\.0\.0\.1|localhost|bindOnLocalHost/);
    }
  });

  it('serves the Temporal UI through the balancer with the codec on the API, cookies included', () => {
    const topology = clusterTopology();
    const endpoints = clusterEndpoints(topology);
    const config = temporalUiConfig(topology, 'default') as any;
    expect(config.temporalGrpcAddress).toBe(endpoints.temporalAddress);
    expect(config.codec).toEqual({ endpoint: `${endpoints.apiUrl}/codec`, includeCredentials: true });
    // The UI's origin and the API's differ only in port: one site for the codec session cookie.
    expect(new URL(endpoints.temporalUiUrl).hostname).toBe(new URL(endpoints.apiUrl).hostname);
    expect(config.cors.allowOrigins).toEqual([endpoints.temporalUiUrl]);
  });

  it('balances over both API hosts, checking their health, retrying only a failed connection', () => {
    const topology = clusterTopology();
    const config = haproxyConfig(topology);
    expect(config).toContain(`server api-1 ${topology.hosts['api-1'].ip}:${CLUSTER_PORTS.api} check`);
    expect(config).toContain(`server api-2 ${topology.hosts['api-2'].ip}:${CLUSTER_PORTS.api} check`);
    expect(config).toContain('option httpchk GET /health/live');
    expect(config).toMatch(/retry-on conn-failure\n/);
    expect(config).toContain(`bind ${topology.hosts.balancer.ip}:${CLUSTER_PORTS.balancerTemporalUi}`);
  });
});
