// Registration: the participant row and its workflow-start outbox row committed together (so
// a registration is never lost), then (unless REGISTRATION_INLINE_START=false) an immediate
// attempt to start the journey while the InlineStartGate allows it. When Temporal is slow, busy
// or down the registrant still gets 202; the relay starts the journey later.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../lib/logger';
import { ENVELOPE_CONTEXT, type ParticipantPersonalData, type PersonalDataCipher } from '../../lib/personal-data';
import type { ParticipantJourneyInput } from '../../workflows/participant-journey.definitions';
import { ConflictError, TooManyRequestsError } from '../errors';
import type { InlineStartGate } from './inline-start-gate';
import type { ParticipantJourneyStarter } from './participant-journey-starter';
import type { RegistrationAccepted, RegistrationRequest } from './registration.schema';
import { NikAlreadyRegisteredError, type RegistrationStore, RegistrationStoreSaturatedError } from './registration-store';

/** Long enough for a healthy Temporal, short enough that a slow one does not hold the registrant. */
const IMMEDIATE_START_TIMEOUT_MS = 2_000;

export interface RegistrationServiceDependencies {
  store: RegistrationStore;
  personalData: PersonalDataCipher;
  /** Tries the start right away while `inlineStartGate` allows; without it the relay alone starts journeys. */
  journeyStarter?: ParticipantJourneyStarter;
  inlineStartGate: InlineStartGate;
  logger: Logger;
  /** Retry-After when the database is saturated. */
  retryAfterSeconds: number;
  now?: () => number;
}

export class RegistrationService {
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
        noticeChannel: request.noticeChannel,
        language: request.language,
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
    // Debug: at a peak's thousands per second an info line each would cost the API real CPU.
    this.deps.logger.debug({ participantId, channel: request.channel }, 'participant registered');
    return { participantId, stage: 'AWAITING_EMAIL_VERIFICATION' };
  }

  /** The start at signup, when the gate allows; a failure leaves the row to the relay. */
  private async tryImmediateStart(input: ParticipantJourneyInput): Promise<void> {
    const { journeyStarter, inlineStartGate, logger, now = Date.now } = this.deps;
    if (!journeyStarter || !inlineStartGate.tryAcquire()) return;
    const began = now();
    try {
      await journeyStarter.startParticipantJourney(input, IMMEDIATE_START_TIMEOUT_MS);
    } catch (error) {
      const pausedForMs = inlineStartGate.release({ ok: false });
      logger.warn({ participantId: input.participantId, err: error, pausedForMs }, 'journey not started at registration; the outbox relay will start it, and the next signups leave theirs to it too');
      return;
    }
    const elapsedMs = now() - began;
    const pausedForMs = inlineStartGate.release({ ok: true, elapsedMs });
    if (pausedForMs > 0) logger.info({ elapsedMs, pausedForMs }, 'journey starts at registration are slow; the outbox relay takes them for a while');
  }
}
