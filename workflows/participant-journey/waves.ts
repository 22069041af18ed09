// Eligible participants apply to a wave (an update, JourneyState.applyTo) and wait for its
// lottery; not selected, they apply to a later one, or are carried over to it. Selected, they
// keep that wave's program terms for the rest of the journey.
import { condition, log, patched } from '@temporalio/workflow';
import { DEFAULT_PROGRAM_TERMS } from '../../lib/program-terms';
import { internal } from './activities';
import type { JourneyState } from './journey-state';
import { isBusinessRefusal } from './refusals';

export async function joinWaveUntilSelected(journey: JourneyState) {
  const { state } = journey;
  for (;;) {
    await journey.moveTo('ELIGIBLE');
    const notSelectedIn = state.wave?.outcome === 'NOT_SELECTED' ? state.wave.waveId : undefined;
    if (notSelectedIn && patched('wave-carry-over')) await carryOver(journey, notSelectedIn);
    await journey.waitFor(() => state.stage === 'APPLIED_TO_WAVE');
    await journey.waitFor(() => state.wave?.outcome !== 'PENDING');
    const wave = state.wave;
    if (wave?.outcome === 'SELECTED') {
      await keepTermsOf(journey, wave.waveId);
      return;
    }
    if (wave) journey.notify({ kind: 'NOT_SELECTED', waveId: wave.waveId, waveNumber: wave.number });
  }
}

/**
 * The terms that count are the wave's at selection (the waves API fixes them at the close). A
 * history without the patch's marker read no terms: it was credited and paid under the 2020
 * terms, and replays under them.
 */
async function keepTermsOf(journey: JourneyState, waveId: string) {
  journey.keepTerms(patched('program-terms-per-wave') ? await internal.loadWaveTerms({ waveId }) : DEFAULT_PROGRAM_TERMS);
}

/**
 * When the program carries participants over (an activity reads the setting), one not selected
 * applies to the next wave as soon as it opens, unless they applied somewhere first. A wave
 * that is no longer open by then leaves them ELIGIBLE, free to apply themselves.
 */
async function carryOver(journey: JourneyState, fromWaveId: string) {
  const { state } = journey;
  const next = await internal.findCarryOverWave({ afterWaveId: fromWaveId });
  if (!next) return;
  const untilOpen = Date.parse(next.opensAt) - Date.now();
  if (untilOpen > 0) await condition(() => state.stage !== 'ELIGIBLE' || journey.exitRequest !== undefined, untilOpen);
  journey.throwIfExitRequested();
  if (state.stage !== 'ELIGIBLE' || journey.waveApplicationPending) return;
  try {
    await journey.applyTo(next.waveId, fromWaveId);
  } catch (error) {
    if (!isBusinessRefusal(error)) throw error;
    log.info('Carry-over to the next wave refused', { participantId: journey.participantId, waveId: next.waveId, type: error.cause.type });
  }
}
