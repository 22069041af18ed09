// The benchmark's stand-in for a participant journey: it waits for its wave outcome and ends.
// Starting 164,000 real journeys would measure registration, not the selection's fan-out.
import { condition, setHandler } from '@temporalio/workflow';
import { waveOutcomeSignal } from '../../workflows/participant-journey.definitions';

export async function outcomeListener(): Promise<boolean> {
  let selected: boolean | undefined;
  setHandler(waveOutcomeSignal, (outcome) => {
    selected ??= outcome.selected;
  });
  await condition(() => selected !== undefined);
  return selected!;
}
