// One wave's selection, from its creation to the last applicant told: durable timers open and
// close the wave on schedule (a program manager's change or early close arrives as a signal),
// then the lottery seed is recorded, every applicant is ranked in PostgreSQL, and the outcomes
// go out page by page, continuing as new every few pages so the history stays small however
// many millions applied. The workflow holds a cursor, never the applicants.
import { condition, continueAsNew, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import {
  getSelectionProgressQuery,
  waveChangedSignal,
  type FanOutSettings,
  type WaveSelectionInput,
  type WaveSelectionProgress,
  type WaveSelectionResult,
} from './wave-selection.definitions';

type Activities = ReturnType<typeof createActivities>;

const internal = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
// One statement over millions of rows: long, but it heartbeats, so a dead worker is noticed.
const ranking = proxyActivities<Activities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2 },
});
const fanOut = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

const CLOSED_STATES = new Set(['CLOSED', 'SELECTING', 'SELECTED']);

export async function waveSelection(input: WaveSelectionInput): Promise<WaveSelectionResult> {
  const { waveId } = input;
  const progress: WaveSelectionProgress = {
    waveId,
    phase: input.resume ? 'TELLING_APPLICANTS' : 'WAITING_FOR_CLOSE',
    signalledThroughRank: input.resume?.afterRank ?? 0,
    runs: (input.resume?.runs ?? 0) + 1,
  };
  let waveChanged = false;
  setHandler(waveChangedSignal, () => {
    waveChanged = true;
  });
  setHandler(getSelectionProgressQuery, () => progress);

  /** Sleeps until the wave closes, re-reading the schedule whenever it changes. False: no such wave. */
  async function waitForClose(): Promise<boolean> {
    for (;;) {
      // Reset before reading: a change that arrives during the read is seen by the next wait.
      waveChanged = false;
      const wave = await internal.loadWaveSchedule({ waveId });
      if (!wave) return false;
      if (CLOSED_STATES.has(wave.state)) return true;
      const opensAt = Date.parse(wave.opensAt);
      const closesAt = Date.parse(wave.closesAt);
      if (Date.now() < opensAt) {
        await condition(() => waveChanged, opensAt - Date.now());
        continue;
      }
      if (wave.state === 'SCHEDULED') await internal.recordWaveOpened({ waveId });
      if (Date.now() < closesAt) {
        await condition(() => waveChanged, closesAt - Date.now());
        continue;
      }
      if ((await internal.closeWaveOnSchedule({ waveId })).closed) return true;
    }
  }

  let resume = input.resume;
  if (!resume) {
    if (!(await waitForClose())) {
      progress.phase = 'WAVE_NOT_FOUND';
      log.warn('Wave selection ended: the wave does not exist', { waveId });
      return { waveId, outcome: 'WAVE_NOT_FOUND', applicants: 0, selected: 0, signalled: 0, runs: progress.runs };
    }
    progress.phase = 'RANKING';
    const started = await internal.beginWaveSelection({ waveId });
    const ranked = await ranking.rankWaveApplicants({ waveId });
    log.info('Wave ranked', { waveId, applicants: ranked.applicants, selected: ranked.selected, cutoffPriority: ranked.cutoffPriority });
    // A selection started over (say, after a terminated run) resumes where the database says it got to.
    resume = { fanOut: started.fanOut, afterRank: started.signalledThroughRank, runs: 0 };
  }

  progress.phase = 'TELLING_APPLICANTS';
  const settings: FanOutSettings = resume.fanOut;
  let afterRank = resume.afterRank;
  for (let page = 0; ; page++) {
    if (page >= settings.pagesPerRun || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof waveSelection>({ waveId, resume: { fanOut: settings, afterRank, runs: progress.runs } });
    }
    const told = await fanOut.tellWaveApplicants({
      waveId,
      afterRank,
      pageSize: settings.pageSize,
      signalsPerSecond: settings.signalsPerSecond,
      signalConcurrency: settings.signalConcurrency,
    });
    afterRank = told.lastRank;
    progress.signalledThroughRank = afterRank;
    if (told.done) break;
  }

  const done = await internal.completeWaveSelection({ waveId });
  progress.phase = 'DONE';
  log.info('Wave selection done', { waveId, ...done, runs: progress.runs });
  return { waveId, outcome: 'SELECTED', ...done, runs: progress.runs };
}
