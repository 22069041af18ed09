// Recorded workflow histories for the replay test (test/unit/replay). Journey tests call
// `recordHistory` when a workflow reaches a stage worth keeping; it writes only when asked:
//   RECORD_REPLAY_HISTORIES=1 npm test -- --selectProjects integration
// Re-record only for a change that is meant to be incompatible (nothing running would replay
// it); a compatible change must keep replaying the old histories, using `patched()`.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureTemporalCli } from '../../scripts/stack/temporal-dev-server';
import { readTestStack } from './test-stack';

export const REPLAY_HISTORIES_DIR = path.join(__dirname, '..', 'unit', 'replay', 'histories');

/** Records the latest run of `workflowId`, or the run named (e.g. the first of a continue-as-new chain). */
export async function recordHistory(workflowId: string, name: string, runId?: string): Promise<void> {
  if (process.env.RECORD_REPLAY_HISTORIES !== '1') return;
  // The CLI writes the canonical proto3 JSON that historyFromJSON reads; payloads stay as the
  // server holds them, encrypted with the development key.
  const cli = await ensureTemporalCli();
  const { stdout } = await promisify(execFile)(cli, ['workflow', 'show', '--workflow-id', workflowId, ...(runId ? ['--run-id', runId] : []), '--address', readTestStack().temporalAddress, '--output', 'json'], {
    maxBuffer: 64 << 20,
  });
  fs.mkdirSync(REPLAY_HISTORIES_DIR, { recursive: true });
  fs.writeFileSync(path.join(REPLAY_HISTORIES_DIR, `${name}.json`), stdout);
}
