// A participant as GET /v1/participants/:id shows them, eligible and waiting to apply to a wave;
// each test changes what it is about.
import type { ParticipantView } from '../../../api/participants/participant.schema';

export function participant(overrides: Partial<ParticipantView>): ParticipantView {
  return {
    participantId: '7a3f3c2e-3b4d-4c55-9e1f-0a1b2c3d4e5f',
    stage: 'ELIGIBLE',
    stageChangedAt: '2020-04-11T03:00:00.000Z',
    eligibility: { outcome: 'ELIGIBLE', reasons: [], ruleSetId: '0372c6b0-df13-4130-a098-d40109209d77', ruleSetVersion: 1, evaluatedAt: '2020-04-11T03:00:00.000Z' },
    wave: null,
    wavesApplied: 0,
    identity: { attempts: 1, problem: null },
    trainingBalance: 0,
    training: null,
    payments: [],
    payout: { hasAccount: false, blocked: null },
    surveys: [],
    deadlines: { emailVerificationBy: null, identityCorrectionBy: null, trainingPurchaseBy: null, nextIncentiveAt: null },
    calendar: null,
    terms: null,
    exit: null,
    appealableUntil: null,
    appeal: null,
    source: 'workflow',
    ...overrides,
  };
}
