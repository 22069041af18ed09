// Replays recorded journey histories against today's workflow code: a change that would break
// a running journey (a command added, removed or reordered without patched()) fails here.
// Histories in test/fixtures/histories/, payloads encrypted with the development key:
// - completed-before-carry-over: a whole journey recorded before the wave-selection work
//   (apply, selected, training, incentives, surveys), guarding the refactored apply step;
// - carried-over-then-selected: not selected in one wave, carried over to the next, selected there.
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { loadConfig } from '../../../lib/config';
import { temporalDataConverter } from '../../../lib/temporal/connection';

const HISTORIES = path.join(__dirname, '..', '..', 'fixtures', 'histories');

jest.setTimeout(60_000);

it('replays every recorded participant journey without a nondeterminism error', async () => {
  const files = fs.readdirSync(HISTORIES).filter((file) => file.startsWith('participant-journey.'));
  expect(files.length).toBeGreaterThanOrEqual(2);
  const histories = files.map((file) => ({ workflowId: file, history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES, file), 'utf8'))) }));
  const results = Worker.runReplayHistories(
    { workflowsPath: require.resolve('../../../workflows'), dataConverter: temporalDataConverter(loadConfig({ NODE_ENV: 'test' })) },
    histories,
  );
  const failures: string[] = [];
  for await (const result of results) if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
  expect(failures).toEqual([]);
});
