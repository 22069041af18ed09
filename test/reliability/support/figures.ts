// The reliability suite runs short in CI (`npm test`) and long with `npm run reliability`
// (RELIABILITY_MODE=full); each test writes what it tried and found to a JSON file that the
// runner gathers into one report.
import fs from 'node:fs';
import path from 'node:path';
import { TEST_DATA_DIR } from '../../support/test-stack';

export const FULL_RUN = process.env.RELIABILITY_MODE === 'full';

export const FIGURES_DIR = process.env.RELIABILITY_FIGURES_DIR ?? path.join(TEST_DATA_DIR, 'reliability-figures');

/** The CI size or the full size of a knob, overridable by an environment variable. */
export function sized(name: string, ci: number, full: number): number {
  const override = process.env[name];
  return override ? Number(override) : FULL_RUN ? full : ci;
}

export function recordFigures(scenario: string, figures: Record<string, unknown>): void {
  fs.mkdirSync(FIGURES_DIR, { recursive: true });
  fs.writeFileSync(path.join(FIGURES_DIR, `${scenario}.json`), JSON.stringify({ scenario, mode: FULL_RUN ? 'full' : 'ci', recordedAt: new Date().toISOString(), ...figures }, null, 2));
}
