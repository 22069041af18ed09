// A wave's effective state at a given moment. The stored state only records what people did
// (closing, selecting); SCHEDULED and OPEN follow from the clock, so nobody has to flip a wave
// open at the right second. Pure: the API and the workflow's activities share this rule.

export const WAVE_STATES = ['SCHEDULED', 'OPEN', 'CLOSED', 'SELECTING', 'SELECTED'] as const;
export type WaveState = (typeof WAVE_STATES)[number];

export interface WaveSchedule {
  state: WaveState;
  opensAt: Date;
  closesAt: Date;
}

export function waveStateAt(wave: WaveSchedule, now: Date): WaveState {
  if (wave.state !== 'SCHEDULED' && wave.state !== 'OPEN') return wave.state;
  if (now.getTime() < wave.opensAt.getTime()) return 'SCHEDULED';
  if (now.getTime() < wave.closesAt.getTime()) return 'OPEN';
  return 'CLOSED';
}

/** Applications are taken only while a wave is effectively open. */
export function isWaveOpenAt(wave: WaveSchedule, now: Date): boolean {
  return waveStateAt(wave, now) === 'OPEN';
}
