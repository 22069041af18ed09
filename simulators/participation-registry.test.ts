import request from 'supertest';
import { createSimulators } from './app';
import { PAST_PROGRAMS } from './participation-registry';
import type { Resident } from './population';

describe('participation registry', () => {
  const { app, state, reset } = createSimulators({ populationSize: 1_000_000 });
  const sample: Resident[] = state.residents.sample(0, 20_000);
  const participationsOf = (nik: string) => request(app).get(`/participation-registry/v1/participations/${nik}`);
  const withPastParticipation = sample.filter((resident) => state.participations.participationsOf(resident.nik).length > 0);

  afterEach(() => reset());

  it('seeds about 2 % of the adult residents with one past participation, from the seed alone', () => {
    const adults = sample.filter((resident) => resident.dateOfBirth <= '2002-04-11');
    expect(withPastParticipation.length / adults.length).toBeGreaterThan(0.015);
    expect(withPastParticipation.length / adults.length).toBeLessThan(0.025);
    // Nobody too young in 2020 to have taken part.
    expect(withPastParticipation.every((resident) => resident.dateOfBirth <= '2002-04-11')).toBe(true);

    const again = createSimulators({ populationSize: 1_000_000 }).state.participations;
    for (const resident of withPastParticipation) {
      const [participation, ...more] = state.participations.participationsOf(resident.nik);
      expect(more).toEqual([]);
      expect(again.participationsOf(resident.nik)).toEqual([participation]);
      const program = PAST_PROGRAMS.find((past) => past.program === participation?.program && past.year === participation.year);
      expect(participation?.wave).toBeGreaterThanOrEqual(1);
      expect(participation?.wave).toBeLessThanOrEqual(program?.waves ?? 0);
    }
    expect(new Set(withPastParticipation.map((resident) => state.participations.participationsOf(resident.nik)[0]?.year))).toEqual(new Set([2020, 2021, 2022, 2023]));
  });

  it('answers every past participation of a NIK, and [] for one it does not know', async () => {
    const participant = withPastParticipation[0]!;
    const seeded = await participationsOf(participant.nik).expect(200);
    expect(seeded.body).toEqual({ nik: participant.nik, participations: [expect.objectContaining({ program: expect.any(String), year: expect.any(Number) })] });
    await participationsOf('3201010101000001').expect(200, { nik: '3201010101000001', participations: [] });
    await participationsOf('123').expect(400);
  });

  it('adds a record through the control API beside the seeded ones, until a reset', async () => {
    const participant = withPastParticipation[0]!;
    const [seeded] = state.participations.participationsOf(participant.nik);
    const added = { nik: participant.nik, program: 'PRAKERJA_SKEMA_NORMAL', year: 2023, wave: 5 };
    await request(app).post('/sim/participations').send(added).expect(201, added);
    const { nik: _nik, ...record } = added;
    await participationsOf(participant.nik).expect(200, { nik: participant.nik, participations: [seeded, record] });

    await request(app).post('/sim/reset').expect(204);
    await participationsOf(participant.nik).expect(200, { nik: participant.nik, participations: [seeded] });
  });

  it('refuses an invalid record with every field named', async () => {
    const refused = await request(app).post('/sim/participations').send({ nik: '12', program: '', year: 1999, wave: 0, extra: true }).expect(400);
    expect(refused.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('answers behind its own fault knobs', async () => {
    const participant = withPastParticipation[0]!;
    await request(app).put('/sim/faults/participation-registry').send({ outage: true }).expect(200);
    await participationsOf(participant.nik).expect(503);
    await request(app).get(`/kemnaker/v1/laid-off-workers/${participant.nik}`).expect(200);
    expect((await request(app).get('/sim/stats').expect(200)).body['participation-registry']).toMatchObject({ requests: 1, rejectedByFault: { outage: 1 } });
  });
});
