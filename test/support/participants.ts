// Drives participants through the real path (registration, mailed token, registry checks,
// rules) for tests that need many of them at a given step.
import { api, waitForStage, type TestResident } from './http';
import { register, type RegisteredParticipant, verifyEmail } from './journeys';

export type DrivenParticipant = RegisteredParticipant;
export { register as registerParticipant, verifyEmail };

/** Registered, verified and found eligible by the rules: ready to apply to a wave. */
export async function eligibleParticipant(residentOverrides: Partial<TestResident> = {}, registrationOverrides: Record<string, unknown> = {}): Promise<DrivenParticipant> {
  const participant = await register(residentOverrides, registrationOverrides);
  await verifyEmail(participant);
  await waitForStage(participant.participantId, 'ELIGIBLE', 90_000);
  return participant;
}

export async function applyToWave(participantId: string, waveId: string) {
  return api('POST', `/v1/participants/${participantId}/wave-applications`, { body: { waveId } });
}

/**
 * Residents whose priority points under the 2020 rules are known: laid off 30, no other social
 * aid 20 (DOMAIN.md, rules/default-rule-set.json).
 */
export const PRIORITY_PROFILES = {
  50: { resident: { onLaidOffList: true, socialAid: [] }, registration: { employmentStatus: 'LAID_OFF' } },
  30: { resident: { onLaidOffList: true, socialAid: ['PKH'] }, registration: { employmentStatus: 'LAID_OFF' } },
  20: { resident: { onLaidOffList: false, socialAid: [] }, registration: { employmentStatus: 'JOB_SEEKER' } },
  0: { resident: { onLaidOffList: false, socialAid: ['PKH'] }, registration: { employmentStatus: 'JOB_SEEKER' } },
} as const;

export function participantWithPriority(points: keyof typeof PRIORITY_PROFILES, registrationOverrides: Record<string, unknown> = {}) {
  const profile = PRIORITY_PROFILES[points];
  return eligibleParticipant({ ...profile.resident, socialAid: [...profile.resident.socialAid] }, { ...profile.registration, ...registrationOverrides });
}
