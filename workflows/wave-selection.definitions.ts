// The wave selection's contract: ids, input, signal and query. The API imports this file
// without importing workflow code.
import { defineQuery, defineSignal } from '@temporalio/workflow';

export const WAVE_SELECTION_WORKFLOW = 'waveSelection';
export const waveSelectionWorkflowId = (waveId: string) => `wave-selection-${waveId}`;

/** How the outcomes go out; taken from the worker's configuration when the selection starts. */
export interface FanOutSettings {
  /** Applicants per activity call (one keyset page by rank). */
  pageSize: number;
  /** Pages per workflow run before continue-as-new, which keeps each run's history small. */
  pagesPerRun: number;
  signalsPerSecond: number;
  signalConcurrency: number;
}

export interface WaveSelectionInput {
  waveId: string;
  /** Set by continue-as-new: the wave is ranked and applicants up to `afterRank` were told. */
  resume?: { fanOut: FanOutSettings; afterRank: number; runs: number };
}

export type WaveSelectionPhase = 'WAITING_FOR_CLOSE' | 'RANKING' | 'TELLING_APPLICANTS' | 'DONE' | 'WAVE_NOT_FOUND';

export interface WaveSelectionProgress {
  waveId: string;
  phase: WaveSelectionPhase;
  /** Every applicant up to this rank has been told the outcome. */
  signalledThroughRank: number;
  /** Workflow runs so far (continue-as-new starts a new one). */
  runs: number;
}

export interface WaveSelectionResult {
  waveId: string;
  outcome: 'SELECTED' | 'WAVE_NOT_FOUND';
  applicants: number;
  selected: number;
  signalled: number;
  runs: number;
}

/** The wave's schedule changed or it was closed early: the workflow reloads it from the database. */
export const waveChangedSignal = defineSignal<[]>('waveChanged');
export const getSelectionProgressQuery = defineQuery<WaveSelectionProgress>('getSelectionProgress');
