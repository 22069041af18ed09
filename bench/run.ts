// `npm run bench -- <scenario> [flags]`: runs one benchmark scenario as its own process.
import { spawn } from 'node:child_process';
import path from 'node:path';

const SCENARIOS: Record<string, string> = {
  'signup-spike': 'signup-spike.ts',
  'temporal-outage': 'temporal-outage.ts',
  'verification-backlog': 'verification-backlog.ts',
  'wave-selection': 'wave-selection.ts',
  'rules-throughput': 'rules-throughput.ts',
  'rule-set-simulation': 'rule-set-simulation.ts',
  'workflow-starts': 'workflow-starts.ts',
  'journey-throughput': 'journey-throughput.ts',
  reconciliation: 'reconciliation.ts',
  'batch-action': 'batch-action.ts',
  'cluster-comparison': 'cluster-comparison.ts',
  'cluster-faults': 'cluster-faults.ts',
};

const [scenario, ...flags] = process.argv.slice(2);
const file = scenario ? SCENARIOS[scenario] : undefined;
if (!file) {
  console.error(`usage: npm run bench -- <scenario> [flags]\nscenarios: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}
const child = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, file), ...flags], { stdio: 'inherit' });
child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
