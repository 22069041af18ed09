// Personal data over the running stack: encrypted at rest, masked for operators, read in clear
// only by auditors with a reason (and logged), exported for the data subject, re-encrypted by
// key rotation, and erased after the retention period.
import fs from 'node:fs';
import { randomBytes, randomInt } from 'node:crypto';
import { Client } from '@temporalio/client';
import { loadConfig } from '../../lib/config';
import { ENVELOPE_CONTEXT, maskNik, PersonalDataCipher } from '../../lib/personal-data';
import { rotatePersonalDataKeys } from '../../lib/personal-data-rotation';
import { PERSONAL_DATA_RETENTION_SCHEDULE_ID, PERSONAL_DATA_RETENTION_WORKFLOW } from '../../workflows/personal-data-retention.definitions';
import { connectTestDatabase, connectTestTemporal } from '../support/clients';
import { api, createOpenWave, eventually, KEYS, waitForStage } from '../support/http';
import { ledgerOf, registerAndVerify, selectInWave, type RegisteredParticipant } from '../support/journeys';
import { readTestStack } from '../support/test-stack';
import { pngOf } from '../support/photos';

jest.setTimeout(240_000);

const AUDITOR = 'dev-auditor';
const uniquePhone = () => `+62812${randomInt(10_000_000, 99_999_999)}`;
const uniqueAccount = () => String(randomInt(1_000_000_000, 9_999_999_999));
const PHOTO = pngOf(640, 480);

async function participantWithAccount(): Promise<RegisteredParticipant & { accountNumber: string }> {
  const registered = await registerAndVerify({}, { phone: uniquePhone() });
  const accountNumber = uniqueAccount();
  const answer = await api('PUT', `/v1/participants/${registered.participantId}/payout-account`, {
    body: { type: 'BANK', provider: 'BNI', accountNumber, accountName: registered.resident.fullName },
  });
  expect(answer.status).toBe(200);
  return { ...registered, accountNumber };
}

describe('personal data', () => {
  const prisma = connectTestDatabase();
  const config = loadConfig(readTestStack().env);
  const cipher = new PersonalDataCipher(config.personalDataEncryption, config.blindIndexKey);
  afterAll(() => prisma.$disconnect());

  it('keeps every personal field encrypted at rest, with its key id, and the NIK only as a keyed hash', async () => {
    const person = await participantWithAccount();
    await waitForStage(person.participantId, 'ELIGIBLE', 90_000);
    const row = await prisma.participant.findUniqueOrThrow({ where: { id: person.participantId } });
    const decision = await prisma.eligibilityDecision.findFirstOrThrow({ where: { participantId: person.participantId } });
    const stored = JSON.stringify({ row, decision });
    const { nik, fullName, dateOfBirth, email, phone } = person.registration;
    for (const value of [nik, fullName, dateOfBirth, email, phone, person.accountNumber]) expect(stored).not.toContain(value);

    expect(row.personalData).toMatch(new RegExp(`^v1\\.${row.personalDataKeyId}\\.`));
    expect(row.payoutAccount).toMatch(new RegExp(`^v1\\.${row.payoutAccountKeyId}\\.`));
    expect(row.nikHash).toBe(cipher.blindIndex('nik', nik));
    expect(decision.explanationKeyId).toBe(cipher.activeKeyId);
    expect(cipher.openPersonalData(row.id, row.personalData)).toEqual({ nik, fullName, dateOfBirth, email, phone });
    // Bound to its participant: the same envelope does not open as anyone else's.
    // (Another id: the last character changed, whatever it was; an id ending in 0 once made this a no-op.)
    const someoneElse = person.participantId.replace(/.$/, (last) => (last === '0' ? '1' : '0'));
    expect(someoneElse).not.toBe(person.participantId);
    expect(() => cipher.openPersonalData(someoneElse, row.personalData)).toThrow();
  });

  it('shows operators masked data, lets auditors read it in clear with a reason, and logs each read', async () => {
    const person = await participantWithAccount();
    const { nik, email, phone } = person.registration;

    const seen = await api('GET', `/v1/participants/${person.participantId}`, { key: KEYS.operator });
    expect(seen.status).toBe(200);
    expect(seen.body.personalData).toEqual({
      nik: maskNik(nik),
      fullName: 'S*** R*****',
      dateOfBirth: `${person.resident.dateOfBirth.slice(0, 4)}-**-**`,
      email: expect.stringMatching(/^p\*+@example\.id$/),
      phone: `${phone.slice(0, 6)}******${phone.slice(-2)}`,
      payoutAccount: { type: 'BANK', provider: 'BNI', accountNumber: `******${person.accountNumber.slice(-4)}`, accountName: 'S*** R*****' },
    });
    expect(seen.body.personalData.nik).toMatch(/^3171\*{8}\d{4}$/);
    for (const value of [nik, email, phone, person.accountNumber]) expect(JSON.stringify(seen.body)).not.toContain(value);

    const path = `/v1/participants/${person.participantId}/personal-data/unmasked-reads`;
    const reason = 'Complaint 2020-0412: the participant disputes the NIK on record';
    expect((await api('POST', path, { key: KEYS.operator, body: { reason } })).status).toBe(403);
    const withoutReason = await api('POST', path, { key: AUDITOR, body: { fields: ['nik'] } });
    expect(withoutReason.status).toBe(400);
    expect(withoutReason.body.error.fields).toHaveProperty('reason');

    const read = await api('POST', path, { key: AUDITOR, body: { reason, fields: ['nik', 'phone', 'payoutAccount'] } });
    expect(read.status).toBe(200);
    expect(read.body.fields).toEqual({ nik, phone, payoutAccount: { type: 'BANK', provider: 'BNI', accountNumber: person.accountNumber, accountName: person.resident.fullName } });

    expect((await api('GET', `/v1/personal-data-access?participantId=${person.participantId}`, { key: KEYS.operator })).status).toBe(403);
    const log = await api('GET', `/v1/personal-data-access?participantId=${person.participantId}`, { key: AUDITOR });
    expect(log.status).toBe(200);
    expect(log.body.entries).toEqual([
      expect.objectContaining({ id: read.body.auditEntryId, participantId: person.participantId, action: 'UNMASKED_READ', actor: AUDITOR, role: 'auditor', fields: ['nik', 'phone', 'payoutAccount'], reason, at: expect.any(String) }),
    ]);
  });

  it('exports everything held on a participant to the backend and to auditors, and logs each export', async () => {
    const wave = await createOpenWave();
    const person = await participantWithAccount();
    await selectInWave(person.participantId, wave.id);
    // The participant view answers from the workflow; the export reads the stored participant,
    // which the journey's recordStage activity brings up to date a moment later.
    await eventually(
      async () => ((await prisma.participant.findUniqueOrThrow({ where: { id: person.participantId } })).stage === 'SELECTED' ? true : undefined),
      'the stored stage to reach SELECTED',
    );
    const reason = 'Data-subject access request from the participant app';

    expect((await api('POST', `/v1/participants/${person.participantId}/data-export`, { key: KEYS.operator, body: { reason } })).status).toBe(403);
    const exported = await api('POST', `/v1/participants/${person.participantId}/data-export`, { key: KEYS.backend, body: { reason } });
    expect(exported.status).toBe(200);
    const { nik, fullName, dateOfBirth, email, phone } = person.registration;
    expect(exported.body).toMatchObject({
      participantId: person.participantId,
      personalData: { nik, fullName, dateOfBirth, email, phone },
      payoutAccount: { accountNumber: person.accountNumber },
      pseudonymisedAt: null,
      participation: { stage: 'SELECTED', province: 'DKI Jakarta', channel: 'SELF' },
      eligibilityFacts: { dateOfBirth, outcome: 'ELIGIBLE' },
      waveApplications: [expect.objectContaining({ waveId: wave.id, waveNumber: wave.number, status: 'SELECTED' })],
      ledger: [expect.objectContaining({ kind: 'TRAINING_CREDIT', amount: 1_000_000 })],
      trainingEvents: [],
    });
    expect(exported.body.eligibilityDecisions).toEqual([
      expect.objectContaining({ outcome: 'ELIGIBLE', trigger: 'INITIAL', explanation: expect.objectContaining({ facts: expect.objectContaining({ dateOfBirth }) }) }),
    ]);
    expect(exported.body.personalDataAccess).toEqual([expect.objectContaining({ action: 'EXPORT', actor: KEYS.backend, role: 'backend', reason })]);

    const byAuditor = await api('POST', `/v1/participants/${person.participantId}/data-export`, { key: AUDITOR, body: { reason: 'Audit of wave selection complaints' } });
    expect(byAuditor.status).toBe(200);
    expect(byAuditor.body.personalDataAccess.map((entry: { actor: string }) => entry.actor)).toEqual([KEYS.backend, AUDITOR]);
  });

  it('re-encrypts every row under the active key, in resumable batches, and back', async () => {
    const person = await participantWithAccount();
    await waitForStage(person.participantId, 'ELIGIBLE', 90_000);
    const devKeyId = cipher.activeKeyId;
    const devKey = config.personalDataEncryption.keys.get(devKeyId)!;
    const newKey = randomBytes(32);
    const rotated = new PersonalDataCipher({ activeKeyId: 'rotation-test', keys: new Map([[devKeyId, devKey], ['rotation-test', newKey]]) }, config.blindIndexKey);
    const before = await prisma.participant.findUniqueOrThrow({ where: { id: person.participantId } });

    try {
      // A bounded run stops part-way; the next one carries on from what is left.
      const partial = await rotatePersonalDataKeys({ prisma, cipher: rotated, batchSize: 1, maxBatches: 1 });
      expect(partial).toMatchObject({ complete: false, batches: 1 });
      const finished = await rotatePersonalDataKeys({ prisma, cipher: rotated, batchSize: 50 });
      expect(finished.complete).toBe(true);
      expect(partial.personalData + finished.personalData).toBeGreaterThanOrEqual(1);

      const after = await prisma.participant.findUniqueOrThrow({ where: { id: person.participantId } });
      expect(after).toMatchObject({ personalDataKeyId: 'rotation-test', payoutAccountKeyId: 'rotation-test', nikHash: before.nikHash });
      // Re-encrypted, not relabelled: it opens with the new key alone.
      const newKeyOnly = new PersonalDataCipher({ activeKeyId: 'rotation-test', keys: new Map([['rotation-test', newKey]]) }, config.blindIndexKey);
      expect(newKeyOnly.openPersonalData(after.id, after.personalData).nik).toBe(person.registration.nik);
      expect(newKeyOnly.decrypt<{ accountNumber: string }>(after.payoutAccount!, ENVELOPE_CONTEXT.payoutAccount(after.id)).accountNumber).toBe(person.accountNumber);
      expect(await prisma.participant.count({ where: { personalData: { not: null }, NOT: { personalDataKeyId: 'rotation-test' } } })).toBe(0);
      expect(await prisma.eligibilityDecision.count({ where: { OR: [{ explanationKeyId: null }, { NOT: { explanationKeyId: 'rotation-test' } }] } })).toBe(0);
    } finally {
      // Back under the stack's own key, so its API and worker read everything again.
      const back = new PersonalDataCipher({ activeKeyId: devKeyId, keys: new Map([['rotation-test', newKey], [devKeyId, devKey]]) }, config.blindIndexKey);
      expect((await rotatePersonalDataKeys({ prisma, cipher: back, batchSize: 200 })).complete).toBe(true);
    }
    const restored = await prisma.participant.findUniqueOrThrow({ where: { id: person.participantId } });
    expect(restored.personalDataKeyId).toBe(devKeyId);
    expect(cipher.openPersonalData(restored.id, restored.personalData)).toMatchObject({ nik: person.registration.nik });
    expect((await api('GET', `/v1/participants/${person.participantId}`, { key: KEYS.operator })).body.personalData.nik).toBe(maskNik(person.registration.nik));
  });

  it('erases the personal data of ended participants after the retention period, keeping the ledger, the audit trail and one participation per NIK', async () => {
    const { client, close } = await connectTestTemporal();
    try {
      // The worker created the schedule from its configuration (default retention).
      const schedule = await client.schedule.getHandle(PERSONAL_DATA_RETENTION_SCHEDULE_ID).describe();
      expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: PERSONAL_DATA_RETENTION_WORKFLOW, args: [{ retentionPeriod: config.personalDataRetention.period }] });

      const wave = await createOpenWave();
      const person = await participantWithAccount();
      expect((await photoUpload(person.participantId)).status).toBe(200);
      await selectInWave(person.participantId, wave.id);
      const withdrawn = await api('POST', `/v1/participants/${person.participantId}/withdrawal`, { body: { reason: 'Saya sudah bekerja di Bandung' } });
      expect(withdrawn.status).toBe(200);
      await waitForStage(person.participantId, 'WITHDRAWN');
      // The sweep finds a participant by the stored exit (recorded by an activity a moment after
      // the workflow's view says WITHDRAWN), and the lapse of the balance is written on the way out.
      await eventually(async () => ((await prisma.participant.findUniqueOrThrow({ where: { id: person.participantId } })).exitedAt ? true : undefined), 'the stored exit');
      const ledgerBefore = await eventually(async () => {
        const ledger = await ledgerOf(person.participantId);
        return ledger.some((entry) => entry.kind === 'TRAINING_LAPSE') ? ledger : undefined;
      }, 'the lapse of the training balance');
      expect(ledgerBefore.map((entry) => entry.kind)).toEqual(['TRAINING_CREDIT', 'TRAINING_LAPSE']);
      const before = await prisma.participant.findUniqueOrThrow({ where: { id: person.participantId } });
      expect(fs.existsSync(before.photoPath!)).toBe(true);

      // A second-long retention period: the sweep the schedule would start, started here.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const sweep = await runRetentionSweep(client, { retentionPeriod: 'PT1S', batchSize: 2 });
      expect(sweep.pseudonymised).toBeGreaterThanOrEqual(1);

      const after = await prisma.participant.findUniqueOrThrow({ where: { id: person.participantId } });
      expect(after).toMatchObject({ personalData: null, personalDataKeyId: null, payoutAccount: null, payoutAccountKeyId: null, photoPath: null, nikHash: before.nikHash, stage: 'WITHDRAWN', exitReason: 'WITHDRAWN: [erased]' });
      expect(after.pseudonymisedAt).toBeInstanceOf(Date);
      expect(fs.existsSync(before.photoPath!)).toBe(false);
      const facts = await prisma.eligibilityFacts.findUniqueOrThrow({ where: { participantId: person.participantId } });
      expect(facts.dateOfBirth.toISOString().slice(0, 10)).toBe(`${person.resident.dateOfBirth.slice(0, 4)}-01-01`);
      expect(await ledgerOf(person.participantId)).toEqual(ledgerBefore);

      // The decision stays, its explanation without the birth date.
      const exported = await api('POST', `/v1/participants/${person.participantId}/data-export`, { key: AUDITOR, body: { reason: 'Check of the retention job' } });
      expect(exported.status).toBe(200);
      expect(exported.body).toMatchObject({ personalData: null, payoutAccount: null, pseudonymisedAt: after.pseudonymisedAt!.toISOString() });
      expect(exported.body.eligibilityDecisions).toHaveLength(1);
      expect(JSON.stringify(exported.body)).not.toContain(person.resident.dateOfBirth);
      expect(exported.body.personalDataAccess).toEqual(
        expect.arrayContaining([expect.objectContaining({ action: 'PSEUDONYMISED', actor: 'retention', reason: 'Retention period PT1S after the journey ended' })]),
      );
      const read = await api('POST', `/v1/participants/${person.participantId}/personal-data/unmasked-reads`, { key: AUDITOR, body: { reason: 'Check of the retention job' } });
      expect(read.status).toBe(410);
      expect((await api('GET', `/v1/participants/${person.participantId}`, { key: KEYS.operator })).body).toMatchObject({ personalData: null, stage: 'WITHDRAWN' });

      // Once per NIK, ever: the keyed hash still refuses the same person.
      const again = await api('POST', '/v1/registrations', { body: person.registration });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('ALREADY_REGISTERED');

      // A second sweep finds nothing more to do for them.
      await runRetentionSweep(client, { retentionPeriod: 'PT1S', batchSize: 2 });
      expect(await prisma.personalDataAccess.count({ where: { participantId: person.participantId, action: 'PSEUDONYMISED' } })).toBe(1);
    } finally {
      await close();
    }
  });
});

function photoUpload(participantId: string) {
  const stack = readTestStack();
  return fetch(`${stack.apiUrl}/v1/participants/${participantId}/photo`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${KEYS.backend}`, 'content-type': 'image/png' },
    body: new Uint8Array(PHOTO),
  });
}

async function runRetentionSweep(client: Client, input: { retentionPeriod: string; batchSize: number }): Promise<{ pseudonymised: number }> {
  return client.workflow.execute(PERSONAL_DATA_RETENTION_WORKFLOW, {
    taskQueue: readTestStack().taskQueue,
    workflowId: `personal-data-retention-test-${randomInt(1e9)}`,
    args: [input],
  });
}
