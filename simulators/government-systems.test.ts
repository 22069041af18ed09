import request from 'supertest';
import { createSimulators } from './app';
import type { Resident } from './population';

describe('government systems', () => {
  const { app } = createSimulators({ populationSize: 1_000_000 });

  async function sampleResidents(count: number, offset = 0): Promise<Resident[]> {
    const response = await request(app).get('/sim/residents/sample').query({ count, offset }).expect(200);
    return response.body as Resident[];
  }

  async function firstResident(matches: (resident: Resident) => boolean): Promise<Resident> {
    const resident = (await sampleResidents(5000)).find(matches);
    if (resident === undefined) {
      throw new Error('no such resident among the first 5000');
    }
    return resident;
  }

  it('serves the same residents by sample and by NIK', async () => {
    const sample = await sampleResidents(20, 1000);
    expect(sample).toHaveLength(20);
    for (const resident of sample) {
      const byNik = await request(app).get(`/sim/residents/${resident.nik}`).expect(200);
      expect(byNik.body).toEqual(resident);
    }
    await request(app).get('/sim/residents/0000000000000000').expect(404);
    await request(app).get('/sim/residents/sample').query({ count: 0 }).expect(400);
    await request(app).get('/sim/residents/sample').query({ count: 10, offset: 999_995 }).expect(200)
      .then((response) => expect(response.body).toHaveLength(5));
  });

  describe('Dukcapil NIK verification', () => {
    const verify = (body: object) => request(app).post('/dukcapil/v1/nik-verifications').send(body);

    it('matches name and birth date, ignoring case and extra spaces', async () => {
      const resident = await firstResident((r) => !r.deceased && r.fullName.includes(' '));
      const sloppyName = `  ${resident.fullName.toUpperCase().replace(' ', '   ')} `;
      const response = await verify({ nik: resident.nik, fullName: sloppyName, dateOfBirth: resident.dateOfBirth }).expect(200);
      expect(response.body).toEqual({
        nik: resident.nik,
        result: 'MATCH',
        mismatchedFields: [],
        province: resident.province,
        gender: resident.gender,
      });
    });

    it('names the fields that do not match, and reveals nothing else', async () => {
      const resident = await firstResident((r) => !r.deceased);
      const response = await verify({ nik: resident.nik, fullName: 'Orang Lain', dateOfBirth: '1900-01-01' }).expect(200);
      expect(response.body).toEqual({ nik: resident.nik, result: 'MISMATCH', mismatchedFields: ['fullName', 'dateOfBirth'] });
      const onlyDate = await verify({ nik: resident.nik, fullName: resident.fullName, dateOfBirth: '1900-01-01' }).expect(200);
      expect(onlyDate.body.mismatchedFields).toEqual(['dateOfBirth']);
    });

    it('reports deceased residents and unknown NIKs', async () => {
      const deceased = await firstResident((r) => r.deceased);
      const dead = await verify({ nik: deceased.nik, fullName: deceased.fullName, dateOfBirth: deceased.dateOfBirth }).expect(200);
      expect(dead.body.result).toBe('DECEASED');
      const unknown = await verify({ nik: '3201010101000001', fullName: 'Budi', dateOfBirth: '2000-01-01' }).expect(200);
      expect(unknown.body).toEqual({ nik: '3201010101000001', result: 'NOT_FOUND', mismatchedFields: [] });
    });

    it('knows a NIK by its Kemendagri province code (Papua Barat 92), not by the BPS one (94 is Papua there)', async () => {
      const papuaBarat = { nik: '9202014107850002', fullName: 'Yohana Mandacan', dateOfBirth: '1985-07-01', gender: 'F', isStudent: false, socialAid: [], onLaidOffList: false };
      const created = await request(app).post('/sim/residents').send(papuaBarat).expect(201);
      expect(created.body.province).toBe('Papua Barat');
      const verified = await verify({ nik: papuaBarat.nik, fullName: papuaBarat.fullName, dateOfBirth: papuaBarat.dateOfBirth }).expect(200);
      expect(verified.body).toMatchObject({ result: 'MATCH', province: 'Papua Barat' });
      await request(app).post('/sim/residents').send({ ...papuaBarat, nik: '9402014107850002' }).expect(400);
      await request(app).post('/sim/reset').expect(204);
    });

    it('answers 400 with every invalid field, never 500', async () => {
      const response = await verify({ nik: '123', dateOfBirth: '2000-02-31' }).expect(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      const paths = (response.body.error.fields as { path: string }[]).map((field) => field.path).sort();
      expect(paths).toEqual(['body.dateOfBirth', 'body.fullName', 'body.nik']);
      await request(app).post('/dukcapil/v1/nik-verifications').set('Content-Type', 'application/json').send('{oops').expect(400)
        .then((bad) => expect(bad.body.error.code).toBe('INVALID_JSON'));
    });
  });

  it('answers DTKS, Dapodik and Kemnaker from the same residents', async () => {
    const onAid = await firstResident((r) => r.socialAid.length > 0);
    const student = await firstResident((r) => r.isStudent);
    const laidOff = await firstResident((r) => r.onLaidOffList);
    await request(app).get(`/dtks/v1/recipients/${onAid.nik}`).expect(200, { nik: onAid.nik, programs: onAid.socialAid });
    await request(app).get(`/dapodik/v1/students/${student.nik}`).expect(200, { nik: student.nik, isStudent: true });
    await request(app).get(`/kemnaker/v1/laid-off-workers/${laidOff.nik}`).expect(200, { nik: laidOff.nik, onList: true });

    const stranger = '3201010101000001';
    await request(app).get(`/dtks/v1/recipients/${stranger}`).expect(200, { nik: stranger, programs: [] });
    await request(app).get(`/dapodik/v1/students/${stranger}`).expect(200, { nik: stranger, isStudent: false });
    await request(app).get(`/kemnaker/v1/laid-off-workers/${stranger}`).expect(200, { nik: stranger, onList: false });
    await request(app).get('/dtks/v1/recipients/12ab').expect(400);
  });

  it('lets a test add or override a resident, until reset', async () => {
    const explicit = {
      nik: '3273015505900003',
      fullName: 'Siti Rahmawati',
      dateOfBirth: '1990-05-15',
      gender: 'F',
      isStudent: false,
      socialAid: ['BPNT'],
      onLaidOffList: true,
    };
    const created = await request(app).post('/sim/residents').send(explicit).expect(201);
    expect(created.body).toEqual({ ...explicit, province: 'Jawa Barat', deceased: false });
    const verified = await request(app)
      .post('/dukcapil/v1/nik-verifications')
      .send({ nik: explicit.nik, fullName: 'siti rahmawati', dateOfBirth: '1990-05-15' })
      .expect(200);
    expect(verified.body.result).toBe('MATCH');
    await request(app).get(`/dtks/v1/recipients/${explicit.nik}`).expect(200, { nik: explicit.nik, programs: ['BPNT'] });

    const generated = (await sampleResidents(1))[0];
    if (generated === undefined) throw new Error('empty sample');
    await request(app).post('/sim/residents').send({ ...generated, province: undefined, deceased: true }).expect(201);
    expect((await sampleResidents(1))[0]?.deceased).toBe(true);

    await request(app).post('/sim/residents').send({ ...explicit, nik: '0073015505900003' }).expect(400);
    await request(app).post('/sim/reset').expect(204);
    await request(app).get(`/sim/residents/${explicit.nik}`).expect(404);
    expect((await sampleResidents(1))[0]).toEqual(generated);
  });

  it('answers health checks and unknown routes', async () => {
    await request(app).get('/health').expect(200, { status: 'ok' });
    const unknown = await request(app).get('/nowhere').expect(404);
    expect(unknown.body.error).toMatchObject({ code: 'NOT_FOUND' });
    expect(unknown.body.error.requestId).toEqual(unknown.headers['x-request-id']);
  });
});
