// Replays recorded histories of Jalur's workflows against today's workflow code. A change
// that would make a running workflow take a different path (non-determinism) fails here, in
// CI, instead of in production. Histories are recorded by the integration tests; see
// test/support/replay-histories.ts for how and when to re-record them.
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { loadConfig } from '../../../lib/config';
import { temporalDataConverter } from '../../../lib/temporal/connection';
import { REPLAY_HISTORIES_DIR } from '../../support/replay-histories';

jest.setTimeout(120_000);

const files = fs.readdirSync(REPLAY_HISTORIES_DIR).filter((file) => file.endsWith('.json')).sort();

it('has recorded histories of the journey, its ways out, the re-evaluation fan-out and a wave selection', () => {
  expect(files.length).toBeGreaterThanOrEqual(10);
});

it('replays every recorded history without non-determinism', async () => {
  // The histories' payloads were encrypted with the development key, which loadConfig defaults to.
  const config = loadConfig({ NODE_ENV: 'test' });
  const histories = files.map((file) => ({
    workflowId: file.replace(/\.json$/, ''),
    history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(REPLAY_HISTORIES_DIR, file), 'utf8'))),
  }));
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories(
    { workflowsPath: require.resolve('../../../workflows'), dataConverter: temporalDataConverter(config) },
    histories,
  )) {
    replayed += 1;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(files.length);
});
