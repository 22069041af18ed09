// The start at signup: tried while Temporal answers quickly; after one fails, the signups of the
// next 10 s leave their starts to the outbox relay without waiting on Temporal; after a slow one,
// those of the next 5 s; and beyond the starts allowed at once, the extra signups at once.
import { InlineStartGate } from '../../../api/registrations/inline-start-gate';
import { RegistrationService } from '../../../api/registrations/registration.service';
import type { RegistrationStore } from '../../../api/registrations/registration-store';
import type { ParticipantJourneyStarter } from '../../../api/registrations/participant-journey-starter';
import { loadConfig } from '../../../lib/config';
import { createLogger } from '../../../lib/logger';
import { PersonalDataCipher } from '../../../lib/personal-data';
import { testEnvironment } from './app-under-test';

const config = loadConfig(testEnvironment());

function serviceWith(starter: Pick<ParticipantJourneyStarter, 'startParticipantJourney'>, clock: { now: number }) {
  const inserted: string[] = [];
  const store = { insert: async (row: { participantId: string }) => void inserted.push(row.participantId) } as unknown as RegistrationStore;
  const service = new RegistrationService({
    store,
    personalData: new PersonalDataCipher(config.personalDataEncryption, config.blindIndexKey),
    journeyStarter: starter as ParticipantJourneyStarter,
    inlineStartGate: new InlineStartGate({ ...config.registrations.inlineStartGate, now: () => clock.now }),
    logger: createLogger('registration-test', 'silent'),
    retryAfterSeconds: 1,
    now: () => clock.now,
  });
  return { service, inserted };
}

const request = (nik: string) => ({
  nik,
  fullName: 'Siti Rahayu',
  dateOfBirth: '1990-04-01',
  email: 'siti@example.id',
  phone: '+6281234567890',
  province: 'Jawa Barat',
  employmentStatus: 'LAID_OFF' as const,
  microBusinessLostIncome: false,
  channel: 'SELF' as const,
  noticeChannel: 'EMAIL' as const,
  language: 'id' as const,
});

it('leaves starts to the relay for 10 s after a start at signup failed, then tries again', async () => {
  const clock = { now: 1_000_000 };
  let temporalUp = false;
  const tried: string[] = [];
  const starter = {
    startParticipantJourney: async (input: { participantId: string }) => {
      tried.push(input.participantId);
      if (!temporalUp) throw new Error('Temporal unavailable');
    },
  };
  const { service, inserted } = serviceWith(starter, clock);

  const first = await service.register(request('3201010101900001'));
  const second = await service.register(request('3201010101900002'));
  clock.now += 9_999;
  await service.register(request('3201010101900003'));
  // Every registration committed and answered; only the first waited on Temporal.
  expect(inserted).toHaveLength(3);
  expect(tried).toEqual([first.participantId]);
  expect(second.stage).toBe('AWAITING_EMAIL_VERIFICATION');

  temporalUp = true;
  clock.now += 1;
  const fourth = await service.register(request('3201010101900004'));
  const fifth = await service.register(request('3201010101900005'));
  expect(tried).toEqual([first.participantId, fourth.participantId, fifth.participantId]);
});

it('leaves starts to the relay for 5 s after a start slower than the threshold', async () => {
  const clock = { now: 1_000_000 };
  const tried: string[] = [];
  let startTakesMs = config.registrations.inlineStartGate.slowStartMs + 1;
  const starter = {
    startParticipantJourney: async (input: { participantId: string }) => {
      tried.push(input.participantId);
      clock.now += startTakesMs;
    },
  };
  const { service, inserted } = serviceWith(starter, clock);

  const slow = await service.register(request('3201010101900011'));
  await service.register(request('3201010101900012'));
  // The pause runs from the slow start's answer.
  clock.now += 4_999;
  await service.register(request('3201010101900013'));
  expect(inserted).toHaveLength(3);
  expect(tried).toEqual([slow.participantId]);

  startTakesMs = 5;
  clock.now += 1;
  const fast = await service.register(request('3201010101900014'));
  const next = await service.register(request('3201010101900015'));
  expect(tried).toEqual([slow.participantId, fast.participantId, next.participantId]);
});

it('starts at most maxInFlight journeys at once; the signups beyond leave theirs to the relay', async () => {
  const clock = { now: 1_000_000 };
  const { maxInFlight } = config.registrations.inlineStartGate;
  const tried: string[] = [];
  let finish!: () => void;
  const temporalAnswers = new Promise<void>((resolve) => (finish = resolve));
  const starter = {
    startParticipantJourney: async (input: { participantId: string }) => {
      tried.push(input.participantId);
      await temporalAnswers;
    },
  };
  const { service, inserted } = serviceWith(starter, clock);

  const signups = Array.from({ length: maxInFlight + 3 }, (_, i) => service.register(request(`32010101019${String(i).padStart(5, '0')}`)));
  // The ones beyond the bound answer without waiting for Temporal.
  await new Promise((resolve) => setImmediate(resolve));
  expect(tried).toHaveLength(maxInFlight);
  finish();
  await Promise.all(signups);
  expect(inserted).toHaveLength(maxInFlight + 3);
  expect(tried).toHaveLength(maxInFlight);

  await service.register(request('3201010102000001'));
  expect(tried).toHaveLength(maxInFlight + 1);
});
