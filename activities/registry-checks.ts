// Checks against the other ministries' systems and the participation registry, each through
// callOutsideSystem: Temporal waits out outages and rate limits, a business rejection fails for
// good. Personal data is read from the database here and never returned to the workflow beyond
// what the decision needs.
import type { DapodikClient } from './clients/dapodik-client';
import type { DtksClient } from './clients/dtks-client';
import type { DukcapilClient } from './clients/dukcapil-client';
import type { KemnakerClient } from './clients/kemnaker-client';
import type { ParticipationRegistryClient } from './clients/participation-registry-client';
import { callOutsideSystem } from './outside-call';
import type { PrismaClient } from '../lib/database';
import type { ParticipantPersonalData, PersonalDataCipher } from '../lib/personal-data';

export interface RegistryClients {
  dukcapil: DukcapilClient;
  dtks: DtksClient;
  dapodik: DapodikClient;
  kemnaker: KemnakerClient;
  participationRegistry: ParticipationRegistryClient;
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

    /** Only the count leaves: the rules need no more, and the programs and years stay out of the history. */
    async countPastParticipationsInRegistry({ participantId }: { participantId: string }) {
      const { nik } = await personOf(participantId);
      return { count: (await callOutsideSystem(() => deps.registries.participationRegistry.findPastParticipations(nik))).length };
    },
  };
}
