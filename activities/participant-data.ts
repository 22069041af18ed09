// Writes personal data the participant gives after signup, encrypted like the rest.
import type { PrismaClient } from '../lib/database';
import type { ParticipantPersonalData, PayoutAccount, PersonalDataCipher } from '../lib/personal-data';

export function createParticipantDataActivities({ prisma, personalData }: { prisma: PrismaClient; personalData: PersonalDataCipher }) {
  return {
    async storeIdentityCorrection({ participantId, fullName, dateOfBirth }: { participantId: string; fullName: string; dateOfBirth: string }): Promise<void> {
      const participant = await prisma.participant.findUniqueOrThrow({ where: { id: participantId } });
      const current = personalData.decrypt<ParticipantPersonalData>(participant.personalData, participantId);
      await prisma.participant.update({
        where: { id: participantId },
        data: { personalData: personalData.encrypt({ ...current, fullName, dateOfBirth }, participantId), personalDataKeyId: personalData.activeKeyId },
      });
    },

    async storePayoutAccount({ participantId, account }: { participantId: string; account: PayoutAccount }): Promise<void> {
      await prisma.participant.update({
        where: { id: participantId },
        data: { payoutAccount: personalData.encrypt(account, `${participantId}:payout`) },
      });
    },
  };
}
