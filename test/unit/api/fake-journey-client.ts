// A stand-in for the Temporal client, for unit tests of how the API maps a journey's answers
// (state or refusal) to HTTP. Everything about Temporal itself is tested against a real server
// in the integration tests.
import type { ParticipantState } from '../../../workflows/participant-journey.definitions';
import { DEFAULT_PROGRAM_CALENDAR } from '../../../lib/program-calendar';

export interface RecordedUpdate {
  workflowId: string;
  updateName: string;
  args: unknown[];
  updateId?: string;
}

export function fakeJourneyClient(answer: (update: RecordedUpdate) => ParticipantState | Promise<ParticipantState>) {
  const updates: RecordedUpdate[] = [];
  const client = {
    withDeadline: <R>(_deadline: number | Date, run: () => Promise<R>) => run(),
    workflow: {
      getHandle: (workflowId: string) => ({
        workflowId,
        async executeUpdate(definition: { name: string }, options?: { args?: unknown[]; updateId?: string }) {
          const update = { workflowId, updateName: definition.name, args: options?.args ?? [], updateId: options?.updateId };
          updates.push(update);
          return answer(update);
        },
      }),
    },
  };
  return { client, updates };
}

export function journeyState(overrides: Partial<ParticipantState> = {}): ParticipantState {
  return {
    participantId: '7a3f3c2e-3b4d-4c55-9e1f-0a1b2c3d4e5f',
    stage: 'ELIGIBLE',
    stageChangedAt: '2020-04-12T09:00:00.000Z',
    province: 'Jawa Barat',
    eligibility: {
      outcome: 'ELIGIBLE',
      reasons: [],
      priorityPoints: 20,
      ruleSetId: '5e0b7c55-1c6f-4b3c-8d43-33a4b8a2f6d1',
      ruleSetVersion: 3,
      evaluatedAt: '2020-04-12T08:59:00.000Z',
    },
    wavesApplied: 0,
    calendar: DEFAULT_PROGRAM_CALENDAR,
    identityAttempts: 1,
    trainingBalance: 0,
    payments: [],
    hasPayoutAccount: true,
    surveys: [1, 2, 3].map((sequence) => ({ sequence, status: 'UPCOMING' as const })),
    deadlines: {},
    ...overrides,
  };
}
