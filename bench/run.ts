/** `npm run bench -- <scenario> [options]`: runs bench/<scenario>.ts with the options. */
const SCENARIOS = {
  'rules-throughput': () => import('./rules-throughput'),
  'rule-set-simulation': () => import('./rule-set-simulation'),
} as const satisfies Record<string, () => Promise<{ main(args: readonly string[]): Promise<void> }>>;

type Scenario = keyof typeof SCENARIOS;
const isScenario = (name: string | undefined): name is Scenario => name !== undefined && Object.hasOwn(SCENARIOS, name);

const [scenario, ...args] = process.argv.slice(2);
if (!isScenario(scenario)) {
  console.error(`usage: npm run bench -- <scenario> [options]\nscenarios: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}
SCENARIOS[scenario]()
  .then((module) => module.main(args))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
