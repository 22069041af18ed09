// A reset's target is found in the run's own history by the step's name: checked against the
// recorded histories of the replay test (test/unit/replay/histories).
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { findResetPoint } from '../../../api/participants/journey-reset';
import { RESET_STEPS } from '../../../api/participants/participant.schema';
import { REPLAY_HISTORIES_DIR } from '../../support/replay-histories';

const historyOf = (name: string) => historyFromJSON(JSON.parse(fs.readFileSync(path.join(REPLAY_HISTORIES_DIR, `${name}.json`), 'utf8')));
const eventOf = (history: ReturnType<typeof historyOf>, id: unknown) => history.events!.find((event) => String(event.eventId) === String(id))!;

describe('findResetPoint', () => {
  it('finds every step of a completed journey at a workflow task that completed, in the order of the path', () => {
    const history = historyOf('journey-completed');
    const points = RESET_STEPS.map((step) => findResetPoint(history, step));
    expect(points.every((point) => point !== undefined)).toBe(true);
    const ids = points.map(Number);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    for (const point of points) expect(eventOf(history, point).eventType).toBe(temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  });

  it('resets eligibility to the task that moved the journey to CHECKING_ELIGIBILITY, before the registry checks', () => {
    const history = historyOf('journey-ineligible');
    const point = Number(findResetPoint(history, 'ELIGIBILITY'));
    const scheduledBy = (type: string) =>
      history.events!.filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === type).map((event) => Number(event.eventId));
    expect(point).toBeLessThan(Math.min(...scheduledBy('checkSocialAidWithDtks'), ...scheduledBy('decideEligibility')));
    expect(point).toBeGreaterThan(Math.max(...scheduledBy('verifyIdentityWithDukcapil')));
    expect(findResetPoint(history, 'EMAIL_VERIFICATION')).toBeDefined();
  });

  it('finds nothing for a step the run never reached', () => {
    const ineligible = historyOf('journey-ineligible');
    expect(findResetPoint(ineligible, 'WAVE')).toBeUndefined();
    expect(findResetPoint(ineligible, 'TRAINING')).toBeUndefined();
    expect(findResetPoint(historyOf('journey-expired'), 'IDENTITY')).toBeUndefined();
  });
});
