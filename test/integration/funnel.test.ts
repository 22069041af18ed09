// The funnel endpoint and /metrics against a direct count in the database, over participants
// driven to each step of the path through the real stack.
import { randomInt } from 'node:crypto';
import type { PrismaClient } from '../../lib/database';
import { connectTestDatabase } from '../support/clients';
import { api, createOpenWave, eventually, KEYS, participant, sim, waitForStage } from '../support/http';
import { applyToWave, participantWithPriority, registerParticipant, verifyEmail } from '../support/participants';
import { readTestStack } from '../support/test-stack';
import { metricValue } from '../support/metrics';

jest.setTimeout(300_000);

const STEPS = ['registered', 'emailVerified', 'nikVerified', 'eligible', 'applied', 'selected', 'trainingPurchased', 'trainingCompleted', 'incentivesPaid', 'surveysDone', 'completed'] as const;
type Counts = Record<(typeof STEPS)[number], number> & { incentivePayments: number; incentiveRupiah: number; surveyPayments: number; surveyRupiah: number };

/** The funnel counted independently of the service's SQL: Prisma counts over the same tables. */
async function countDirectly(prisma: PrismaClient, filter: { province?: string; wave?: { id: string; opensAt: Date; closesAt: Date; closedAt: Date | null } }): Promise<Counts> {
  const inProvince = filter.province === undefined ? {} : { province: filter.province };
  const wave = filter.wave;
  const registeredWhere = wave ? { ...inProvince, createdAt: { gte: wave.opensAt, lt: wave.closedAt ?? wave.closesAt } } : inProvince;
  const selectedHere = wave ? { applications: { some: { waveId: wave.id, status: 'SELECTED' as const } } } : {};
  const count = (where: object) => prisma.participant.count({ where: { ...inProvince, ...where } });
  const ledger = async (kind: 'INCENTIVE' | 'SURVEY') => {
    const entries = await prisma.ledgerEntry.findMany({ where: { kind, status: 'SETTLED', participant: { ...inProvince, ...selectedHere } }, select: { participantId: true, amount: true } });
    return { people: new Set(entries.map((e) => e.participantId)).size, payments: entries.length, rupiah: entries.reduce((sum, e) => sum + e.amount, 0) };
  };
  const [incentives, surveys] = await Promise.all([ledger('INCENTIVE'), ledger('SURVEY')]);
  return {
    registered: await prisma.participant.count({ where: registeredWhere }),
    emailVerified: await prisma.participant.count({ where: { ...registeredWhere, emailVerifiedAt: { not: null } } }),
    nikVerified: await prisma.participant.count({ where: { ...registeredWhere, nikVerifiedAt: { not: null } } }),
    eligible: await prisma.participant.count({ where: { ...registeredWhere, eligibleAt: { not: null } } }),
    applied: wave ? await prisma.waveApplication.count({ where: { waveId: wave.id, participant: inProvince } }) : await count({ appliedAt: { not: null } }),
    selected: wave ? await count(selectedHere) : await count({ selectedAt: { not: null } }),
    trainingPurchased: await count({ ...selectedHere, trainingPurchasedAt: { not: null } }),
    trainingCompleted: await count({ ...selectedHere, trainingCompletedAt: { not: null } }),
    completed: await count({ ...selectedHere, completedAt: { not: null } }),
    incentivesPaid: incentives.people,
    incentivePayments: incentives.payments,
    incentiveRupiah: incentives.rupiah,
    surveysDone: surveys.people,
    surveyPayments: surveys.payments,
    surveyRupiah: surveys.rupiah,
  };
}

function fromEndpoint(body: { steps: Array<{ step: string; people: number; shareOfRegistered: number | null; payments?: number; rupiah?: number }> }): Counts {
  const step = (name: string) => body.steps.find((s) => s.step === name)!;
  return {
    ...(Object.fromEntries(STEPS.map((name) => [name, step(name).people])) as Record<(typeof STEPS)[number], number>),
    incentivePayments: step('incentivesPaid').payments!,
    incentiveRupiah: step('incentivesPaid').rupiah!,
    surveyPayments: step('surveysDone').payments!,
    surveyRupiah: step('surveysDone').rupiah!,
  };
}

/** Journeys elsewhere keep moving: agree once two direct counts around the endpoint's agree. */
async function expectAgreement(prisma: PrismaClient, query: string, filter: Parameters<typeof countDirectly>[1]): Promise<Counts> {
  return eventually(async () => {
    const before = await countDirectly(prisma, filter);
    const answer = await api('GET', `/v1/stats/funnel${query}`, { key: KEYS.operator });
    const after = await countDirectly(prisma, filter);
    if (answer.status !== 200) throw new Error(`funnel answered ${answer.status}`);
    const reported = fromEndpoint(answer.body);
    if (JSON.stringify(before) !== JSON.stringify(after)) return undefined;
    expect(reported).toEqual(before);
    for (const { people, shareOfRegistered } of answer.body.steps) {
      expect(shareOfRegistered).toBe(before.registered === 0 ? null : Math.round((people / before.registered) * 10_000) / 100);
    }
    return reported;
  }, `the funnel ${query} to agree with the database`);
}

describe('funnel', () => {
  let prisma: PrismaClient;
  beforeAll(() => {
    prisma = connectTestDatabase();
  });
  afterAll(() => prisma.$disconnect());

  it('reports the same figures as a direct count, overall, per province and per wave', async () => {
    const province = `Funnel Test ${randomInt(1e9)}`;
    const wave = await createOpenWave({ number: randomInt(4_000_000, 4_900_000), quota: 1 });
    const inProvince = { province };

    const [, student, chosen, passedOver] = await Promise.all([
      registerParticipant({}, inProvince), // never verifies the email
      registerParticipant({ isStudent: true }, inProvince).then(async (p) => (await verifyEmail(p), p)),
      participantWithPriority(50, inProvince),
      participantWithPriority(20, inProvince),
      participantWithPriority(30, inProvince), // eligible, never applies
    ]);
    await waitForStage(student.participantId, 'INELIGIBLE');
    expect((await api('PUT', `/v1/participants/${chosen.participantId}/payout-account`, {
      body: { type: 'EWALLET', provider: 'OVO', accountNumber: '081298765432', accountName: 'Budi Santoso' },
    })).status).toBe(200);
    for (const { participantId } of [chosen, passedOver]) expect((await applyToWave(participantId, wave.id)).status).toBe(200);
    expect((await api('POST', `/v1/waves/${wave.id}/close`, { key: KEYS.programManager })).status).toBe(200);
    await waitForStage(chosen.participantId, 'SELECTED');

    // The selected participant goes all the way: training, four incentives, three surveys.
    const catalog = await sim<Array<{ platformId: string; courseId: string; price: number }>>('GET', '/sim/training/catalog');
    const course = catalog.body.find((c) => c.price <= 1_000_000)!;
    const training = { participantId: chosen.participantId, platformId: course.platformId, courseId: course.courseId };
    expect((await sim('POST', '/sim/training/purchases', training)).status).toBe(202);
    await waitForStage(chosen.participantId, 'IN_TRAINING');
    expect((await sim('POST', '/sim/training/completions', training)).status).toBe(202);
    for (const sequence of [1, 2, 3]) {
      await eventually(async () => ((await participant(chosen.participantId)).body.surveys?.[sequence - 1]?.status === 'OPEN' ? true : undefined), `survey ${sequence} to open`);
      expect((await api('POST', `/v1/participants/${chosen.participantId}/surveys/${sequence}`, { body: { answers: { employed: true } } })).status).toBe(200);
    }
    await waitForStage(chosen.participantId, 'COMPLETED');

    const byProvince = await expectAgreement(prisma, `?province=${encodeURIComponent(province)}`, { province });
    expect(byProvince).toEqual({
      registered: 5, emailVerified: 4, nikVerified: 4, eligible: 3, applied: 2, selected: 1,
      trainingPurchased: 1, trainingCompleted: 1, incentivesPaid: 1, surveysDone: 1, completed: 1,
      incentivePayments: 4, incentiveRupiah: 2_400_000, surveyPayments: 3, surveyRupiah: 150_000,
    });
    const storedWave = await prisma.wave.findUniqueOrThrow({ where: { id: wave.id } });
    expect(await expectAgreement(prisma, `?wave=${wave.number}&province=${encodeURIComponent(province)}`, { province, wave: storedWave })).toEqual(byProvince);
    await expectAgreement(prisma, `?wave=${wave.number}`, { wave: storedWave });
    await expectAgreement(prisma, '', {});

    expect((await api('GET', '/v1/stats/funnel?wave=99999999', { key: KEYS.operator })).status).toBe(404);
    expect((await api('GET', '/v1/stats/funnel?wave=first', { key: KEYS.operator })).status).toBe(400);
    expect((await api('GET', '/v1/stats/funnel', { key: KEYS.backend })).status).toBe(403);

    // /metrics carries the same counters, and the API's and the worker's own figures.
    expect((await api('GET', '/metrics', { key: undefined })).status).toBe(401);
    // The funnel gauges are counted on scrape and kept 30 s (FUNNEL_CACHE_MS): an earlier scrape
    // (another test's) may still be served, so wait for a fresh one that knows this province.
    const metrics = await eventually(async () => {
      const scrape = await fetch(`${readTestStack().apiUrl}/metrics`, { headers: { authorization: `Bearer ${KEYS.operator}` } });
      expect(scrape.status).toBe(200);
      const text = await scrape.text();
      return metricValue(text, 'jalur_funnel_people', { step: 'completed', province }) === byProvince.completed ? text : undefined;
    }, 'a metrics scrape counted after this test\'s journeys', 45_000);
    for (const step of STEPS) expect(metricValue(metrics, 'jalur_funnel_people', { step, province })).toBe(byProvince[step]);
    expect(metricValue(metrics, 'jalur_funnel_rupiah', { kind: 'incentive', province })).toBe(2_400_000);
    expect(metricValue(metrics, 'jalur_funnel_wave_people', { step: 'selected', wave: String(wave.number) })).toBe(1);
    expect(metricValue(metrics, 'jalur_dependency_up', { dependency: 'database' })).toBe(1);
    expect(metrics).toContain('jalur_api_http_request_duration_seconds_bucket');
    expect(metrics).toContain('process_cpu_user_seconds_total');
    const workerMetrics = await fetch(`http://${readTestStack().env.WORKER_METRICS_ADDRESS}/metrics`);
    expect(await workerMetrics.text()).toMatch(/^temporal_/m);
  });
});
