// The deployment files cannot run here (no container runtime, no Kubernetes), so what can be
// checked offline is: every environment variable they give Jalur's processes is one the
// configuration reads, the values they set pass its parsing (as a process would at start), and
// the Compose file's balancer configuration is one HAProxy accepts.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { CONFIGURATION_VARIABLES, loadConfig } from '../../../lib/config';
import { clusterTopology, haproxyConfig } from '../../../scripts/cluster/topology';
import { loadSimulatorsConfig, SIMULATORS_CONFIGURATION_VARIABLES } from '../../../simulators/config';

const ROOT = path.join(__dirname, '..', '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const known = new Set([...CONFIGURATION_VARIABLES, ...SIMULATORS_CONFIGURATION_VARIABLES, 'WORKFLOW_BUNDLE_PATH']);
const unknown = (names: string[]) => names.filter((name) => !known.has(name));

/** What a Secret made apart from the chart holds in production (README, Configuration). */
const productionSecrets = () => ({
  DATABASE_URL: 'postgresql://jalur:secret@postgresql:5432/jalur',
  PAYLOAD_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  PII_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  PII_BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
  AUTH_TOKEN_SIGNING_KEYS: `k1:${randomBytes(32).toString('base64')}`,
});

describe('deploy/compose/docker-compose.yml', () => {
  const compose = parse(read('deploy/compose/docker-compose.yml'), { merge: true }) as { services: Record<string, { environment?: Record<string, string>; image?: string }> };
  const jalurServices = ['jalur-setup', 'simulators', 'jalur-worker', 'jalur-api'];

  it('gives Jalur only variables the configuration reads, with values it accepts', () => {
    for (const name of jalurServices) {
      const environment = compose.services[name]!.environment!;
      expect({ service: name, unknown: unknown(Object.keys(environment)) }).toEqual({ service: name, unknown: [] });
      // What the image's Dockerfile sets, then the service's own.
      const env = { API_HOST: '0.0.0.0', API_PORT: '3000', JALUR_DATA_DIR: '/var/lib/jalur', ...environment };
      if (name === 'simulators') expect(() => loadSimulatorsConfig(env)).not.toThrow();
      else expect(() => loadConfig(env)).not.toThrow();
    }
  });

  it('runs the Temporal services as separate containers of the version the local topology runs', () => {
    const services = ['temporal-frontend', 'temporal-history', 'temporal-matching', 'temporal-worker'].map((name) => compose.services[name]!);
    expect(services.map((service) => service.environment!.SERVICES)).toEqual(['frontend', 'history', 'matching', 'worker']);
    expect(new Set(services.map((service) => service.image))).toEqual(new Set(['temporalio/server:1.29.1']));
  });

  const haproxy = (() => {
    try {
      return execFileSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' }).trim();
    } catch {
      return undefined;
    }
  })();
  (haproxy ? it : it.skip)('has a balancer configuration HAProxy accepts (where HAProxy is installed)', () => {
    const output = execFileSync(haproxy!, ['-c', '-f', path.join(ROOT, 'deploy/compose/haproxy.cfg')], { encoding: 'utf8', stdio: 'pipe' });
    expect(output).toContain('Configuration file is valid');
  });

  it("has the balancer defaults npm run cluster's balancer runs with (timeouts, keep-alive, retries)", () => {
    const defaultsOf = (config: string) =>
      config
        .split('\n\n')
        .find((section) => section.startsWith('defaults') || section.includes('\ndefaults\n'))!
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith('#'));
    const local = defaultsOf(haproxyConfig(clusterTopology()));
    expect(local).toContain('timeout http-keep-alive 30s');
    expect(defaultsOf(read('deploy/compose/haproxy.cfg'))).toEqual(local);
  });

  describe('loaded as Docker Compose loads it (compose-go, built once from the Go module proxy)', () => {
    let composeCheck: string;
    beforeAll(() => {
      composeCheck = execFileSync('bash', [path.join(ROOT, 'scripts/cluster/ensure-compose-check.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    }, 300_000);
    const check = (file: string) => {
      try {
        return { valid: true, output: execFileSync(composeCheck, [file], { encoding: 'utf8', stdio: 'pipe' }) };
      } catch (error) {
        return { valid: false, output: String((error as { stderr?: string }).stderr) };
      }
    };

    it('is valid against the Compose specification, every dependency a service of the file', () => {
      const { valid, output } = check(path.join(ROOT, 'deploy/compose/docker-compose.yml'));
      expect(valid).toBe(true);
      expect(output).toContain(`${Object.keys(compose.services).length} services`);
      expect(output).toMatch(/^jalur-api +build .*after jalur-setup:service_completed_successfully$/m);
    });

    it('refuses a file with a misspelt key or a dependency on no service', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jalur-compose-'));
      try {
        const original = read('deploy/compose/docker-compose.yml');
        for (const file of fs.readdirSync(path.join(ROOT, 'deploy/compose'))) fs.copyFileSync(path.join(ROOT, 'deploy/compose', file), path.join(dir, file));
        fs.writeFileSync(path.join(dir, 'misspelt.yml'), original.replace('restart:', 'restrat:'));
        expect(check(path.join(dir, 'misspelt.yml'))).toEqual({ valid: false, output: expect.stringContaining('restrat') });
        fs.writeFileSync(path.join(dir, 'dangling.yml'), original.replace(/depends_on:\n( +)/, 'depends_on:\n$1no-such-service:\n$1  condition: service_started\n$1'));
        expect(check(path.join(dir, 'dangling.yml'))).toEqual({ valid: false, output: expect.stringContaining('undefined service "no-such-service"') });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

describe('deploy/helm', () => {
  const values = parse(read('deploy/helm/jalur/values.yaml')) as { env: Record<string, string> };
  const templateVariables = fs
    .readdirSync(path.join(ROOT, 'deploy/helm/jalur/templates'))
    .flatMap((file) => [...read(`deploy/helm/jalur/templates/${file}`).matchAll(/- name: ([A-Z][A-Z0-9_]+)/g)].map((match) => match[1]!));

  it('sets only variables the configuration reads', () => {
    expect(templateVariables.length).toBeGreaterThan(5);
    expect(unknown([...Object.keys(values.env), ...templateVariables])).toEqual([]);
  });

  it('starts in production with the values and the secrets the chart expects', () => {
    const env = { ...values.env, ...productionSecrets(), API_HOST: '0.0.0.0', API_PORT: '3000', WORKER_PROCESSES: '2', JALUR_DATA_DIR: os.tmpdir() };
    const config = loadConfig(env);
    expect(config.isProduction).toBe(true);
    expect(config.temporal.usesDevServer).toBe(false);
  });

  it('runs the Temporal chart on PostgreSQL with the server version the local topology runs', () => {
    const temporalValues = parse(read('deploy/helm/temporal-values.yaml')) as any;
    expect(temporalValues.server.image.tag).toBe('1.29.1');
    for (const store of ['default', 'visibility']) expect(temporalValues.server.config.persistence.datastores[store].sql.pluginName).toBe('postgres12');
  });
});
