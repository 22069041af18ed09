// Registration: the participant row and its workflow-start outbox row committed together (so
// a registration is never lost), then (unless REGISTRATION_INLINE_START=false) an immediate
// attempt to start the journey. When Temporal is slow or down the registrant still gets 202;
// the relay starts the journey later.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../lib/logger';
import { ENVELOPE_CONTEXT, type ParticipantPersonalData, type PersonalDataCipher } from '../../lib/personal-data';
import type { ParticipantJourneyInput } from '../../workflows/participant-journey.definitions';
import { ConflictError, TooManyRequestsError } from '../errors';
import type { ParticipantJourneyStarter } from './participant-journey-starter';
import type { RegistrationAccepted, RegistrationRequest } from './registration.schema';
import { NikAlreadyRegisteredError, type RegistrationStore, RegistrationStoreSaturatedError } from './registration-store';

/** Long enough for a healthy Temporal, short enough that a slow one does not hold the registrant. */
const IMMEDIATE_START_TIMEOUT_MS = 2_000;
/**
 * After a start at signup fails, the signups of the next 10 s leave their starts to the relay
 * without trying: with Temporal down, every registrant would otherwise wait the full timeout, and
 * the registrations held that long would fill the in-flight limit and turn the rest away with 429.
 */
const IMMEDIATE_START_PAUSE_MS = 10_000;

export interface RegistrationServiceDependencies {
  store: RegistrationStore;
  personalData: PersonalDataCipher;
  /** Tries the start right away; without it the relay alone starts journeys (peak mode). */
  journeyStarter?: ParticipantJourneyStarter;
  logger: Logger;
  /** Retry-After when the database is saturated. */
  retryAfterSeconds: number;
  now?: () => number;
}

export class RegistrationService {
  /** Until when signups leave their starts to the relay (after a start at signup failed). */
  private immediateStartsPausedUntil = 0;

  constructor(private readonly deps: RegistrationServiceDependencies) {}

  async register(request: RegistrationRequest): Promise<RegistrationAccepted> {
    const { store, personalData } = this.deps;
    const participantId = randomUUID();
    const registeredAt = new Date();
    const personal: ParticipantPersonalData = {
      nik: request.nik,
      fullName: request.fullName,
      dateOfBirth: request.dateOfBirth,
      email: request.email,
      phone: request.phone,
    };
    try {
      await store.insert({
        participantId,
        // The unique blind index is what makes "once per NIK" hold when two signups race.
        nikHash: personalData.blindIndex('nik', request.nik),
        personalData: personalData.encrypt(personal, ENVELOPE_CONTEXT.personalData(participantId)),
        personalDataKeyId: personalData.activeKeyId,
        province: request.province,
        employmentStatus: request.employmentStatus,
        microBusinessLostIncome: request.microBusinessLostIncome,
        channel: request.channel,
        stage: 'AWAITING_EMAIL_VERIFICATION',
        registeredAt,
      });
    } catch (error) {
      if (error instanceof NikAlreadyRegisteredError) throw new ConflictError('ALREADY_REGISTERED', 'This NIK is already registered: each person may take part once only');
      // Nothing was written: the registrant may simply come back.
      if (error instanceof RegistrationStoreSaturatedError) throw new TooManyRequestsError(this.deps.retryAfterSeconds, 'Too many registrations at once; retry after the delay in Retry-After');
      throw error;
    }

    const input: ParticipantJourneyInput = {
      participantId,
      province: request.province,
      employmentStatus: request.employmentStatus,
      microBusinessLostIncome: request.microBusinessLostIncome,
      channel: request.channel,
      registeredAt: registeredAt.toISOString(),
    };
    await this.tryImmediateStart(input);
    this.deps.logger.info({ participantId, channel: request.channel }, 'participant registered');
    return { participantId, stage: 'AWAITING_EMAIL_VERIFICATION' };
  }

  /** The start at signup, unless one failed within the pause; a failure leaves the row to the relay. */
  private async tryImmediateStart(input: ParticipantJourneyInput): Promise<void> {
    const { journeyStarter, logger, now = Date.now } = this.deps;
    if (!journeyStarter || now() < this.immediateStartsPausedUntil) return;
    await journeyStarter.startParticipantJourney(input, IMMEDIATE_START_TIMEOUT_MS).catch((error: unknown) => {
      this.immediateStartsPausedUntil = now() + IMMEDIATE_START_PAUSE_MS;
      logger.warn({ participantId: input.participantId, err: error, pausedForMs: IMMEDIATE_START_PAUSE_MS }, 'journey not started at registration; the outbox relay will start it, and the next signups leave theirs to it too');
    });
  }
}
