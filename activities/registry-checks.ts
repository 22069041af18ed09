// Checks against the other ministries' systems. Outages and rate limits are thrown as
// retryable failures (honouring Retry-After), so Temporal waits them out; a business
// rejection is non-retryable. Personal data is read from the database here and never
// returned to the workflow beyond what the decision needs.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { DapodikClient } from './clients/dapodik-client';
import type { DtksClient } from './clients/dtks-client';
import type { DukcapilClient } from './clients/dukcapil-client';
import { OutsideSystemRejectedError, OutsideSystemUnavailableError } from './clients/errors';
import type { KemnakerClient } from './clients/kemnaker-client';
import type { PrismaClient } from '../lib/database';
import type { ParticipantPersonalData, PersonalDataCipher } from '../lib/personal-data';

export interface RegistryClients {
  dukcapil: DukcapilClient;
  dtks: DtksClient;
  dapodik: DapodikClient;
  kemnaker: KemnakerClient;
}

// The journey's registry retry profile (workflows/participant-journey.ts), restated here because
// the activity chooses each retry's delay itself: to add jitter and honour Retry-After.
const REGISTRY_INITIAL_BACKOFF_MS = 2_000;
const REGISTRY_MAX_BACKOFF_MS = 5 * 60_000;

/**
 * Exponential backoff with equal jitter (half fixed, half random), never sooner than the system
 * asked. After an outage the waiting participants come back spread out, not all in one second.
 */
export function registryRetryDelayMs(attempt: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  const backoff = Math.min(REGISTRY_MAX_BACKOFF_MS, REGISTRY_INITIAL_BACKOFF_MS * 2 ** Math.max(0, attempt - 1));
  return Math.max(retryAfterMs ?? 0, Math.round(backoff / 2 + (random() * backoff) / 2));
}

/** Maps client errors to Temporal's retry semantics; used by every activity that calls out. */
export async function callOutsideSystem<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof OutsideSystemUnavailableError) {
      throw ApplicationFailure.create({
        type: 'OUTSIDE_SYSTEM_UNAVAILABLE',
        message: error.message,
        nextRetryDelay: registryRetryDelayMs(Context.current().info.attempt, error.retryAfterMs),
      });
    }
    if (error instanceof OutsideSystemRejectedError) {
      throw ApplicationFailure.create({ type: `${error.system.toUpperCase()}_${error.code}`, message: error.message, nonRetryable: true });
    }
    throw error;
  }
}

export function createRegistryCheckActivities(deps: { prisma: PrismaClient; personalData: PersonalDataCipher; registries: RegistryClients }) {
  async function personOf(participantId: string): Promise<ParticipantPersonalData> {
    const participant = await deps.prisma.participant.findUniqueOrThrow({ where: { id: participantId }, select: { personalData: true } });
    return deps.personalData.openPersonalData(participantId, participant.personalData);
  }

  return {
    async verifyIdentityWithDukcapil({ participantId }: { participantId: string }) {
      const { nik, fullName, dateOfBirth } = await personOf(participantId);
      const verification = await callOutsideSystem(() => deps.registries.dukcapil.verifyNik({ nik, fullName, dateOfBirth }));
      return { result: verification.result, mismatchedFields: verification.mismatchedFields };
    },

    async checkSocialAidWithDtks({ participantId }: { participantId: string }) {
      const { nik } = await personOf(participantId);
      return { programs: await callOutsideSystem(() => deps.registries.dtks.findSocialAidPrograms(nik)) };
    },

    async checkStudentStatusWithDapodik({ participantId }: { participantId: string }) {
      const { nik } = await personOf(participantId);
      return { isStudent: await callOutsideSystem(() => deps.registries.dapodik.isStudent(nik)) };
    },

    async checkLaidOffListWithKemnaker({ participantId }: { participantId: string }) {
      const { nik } = await personOf(participantId);
      return { onList: await callOutsideSystem(() => deps.registries.kemnaker.isOnLaidOffList(nik)) };
    },
  };
}
