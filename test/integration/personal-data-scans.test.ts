// Scans for personal data where it must never be: after one participant's whole journey, with a
// NIK, e-mail, phone and account number nobody else has, none of them is in the logs of any
// process of the stack, in the Temporal server's database, or in an answer to an operator
// (the API's own reads, and the codec endpoint that decodes histories for the Temporal UI).
import { randomInt } from 'node:crypto';
import { Connection } from '@temporalio/client';
import { maskNik } from '../../lib/personal-data';
import { api, createOpenWave, eventually, KEYS, participant, request, sim, waitForStage } from '../support/http';
import { findInFiles } from '../support/file-scan';
import { registerAndVerify } from '../support/journeys';
import { readTestStack, STACK_LOG_FILE, TEMPORAL_DB_FILE } from '../support/test-stack';

jest.setTimeout(240_000);

describe('personal data scans', () => {
  it('finds no NIK, e-mail, phone or account number in the logs, the Temporal database or operators\' answers after a whole journey', async () => {
    const stack = readTestStack();
    const wave = await createOpenWave();
    const phone = `+62813${randomInt(10_000_000, 99_999_999)}`;
    const accountNumber = String(randomInt(1_000_000_000, 9_999_999_999));
    const person = await registerAndVerify({}, { phone });
    const { participantId } = person;
    const { nik, email } = person.registration;
    const secrets = { nik, email, phone, accountNumber, localPhone: `0${phone.slice(3)}` };

    await waitForStage(participantId, 'ELIGIBLE', 90_000);
    expect((await api('PUT', `/v1/participants/${participantId}/payout-account`, { body: { type: 'BANK', provider: 'BRI', accountNumber, accountName: person.resident.fullName } })).status).toBe(200);
    expect((await api('POST', `/v1/participants/${participantId}/wave-applications`, { body: { waveId: wave.id } })).status).toBe(200);
    expect((await api('POST', `/v1/waves/${wave.id}/close`, { key: KEYS.programManager })).status).toBe(200);
    await waitForStage(participantId, 'SELECTED');
    const catalog = await sim<Array<{ platformId: string; courseId: string; price: number }>>('GET', '/sim/training/catalog');
    const course = catalog.body.find((c) => c.price <= 1_000_000)!;
    expect((await sim('POST', '/sim/training/purchases', { participantId, platformId: course.platformId, courseId: course.courseId })).status).toBe(202);
    await waitForStage(participantId, 'IN_TRAINING');
    expect((await sim('POST', '/sim/training/completions', { participantId, platformId: course.platformId, courseId: course.courseId })).status).toBe(202);
    for (const sequence of [1, 2, 3]) {
      await eventually(async () => ((await participant(participantId)).body.surveys?.[sequence - 1]?.status === 'OPEN' ? true : undefined), `survey ${sequence} to open`);
      expect((await api('POST', `/v1/participants/${participantId}/surveys/${sequence}`, { body: { answers: { employed: true } } })).status).toBe(200);
    }
    await waitForStage(participantId, 'COMPLETED', 90_000);

    // (a) Logs: the API's, the worker's, the simulators' and Temporal's, as the stack wrote them.
    // Flushed within a moment; the participant id proves the log is the one this journey wrote to.
    const inLogs = await eventually(async () => {
      const found = findInFiles([STACK_LOG_FILE], [participantId, ...Object.values(secrets)]);
      return found.has(participantId) ? found : undefined;
    }, 'the journey in the stack log');
    for (const [what, value] of Object.entries(secrets)) expect({ what, found: inLogs.has(value) }).toEqual({ what, found: false });

    // (b) The Temporal server's SQLite database (and its write-ahead log).
    const inDatabase = findInFiles([TEMPORAL_DB_FILE, `${TEMPORAL_DB_FILE}-wal`], [participantId, ...Object.values(secrets)]);
    expect(inDatabase.has(participantId)).toBe(true);
    for (const [what, value] of Object.entries(secrets)) expect({ what, found: inDatabase.has(value) }).toEqual({ what, found: false });

    // (b) What operators are answered: the participant (masked), the wave's applicants, the funnel ...
    const answers: unknown[] = [];
    const seen = await api('GET', `/v1/participants/${participantId}`, { key: KEYS.operator });
    expect(seen.body.personalData.nik).toBe(maskNik(nik));
    answers.push(seen.body);
    answers.push((await api('GET', `/v1/waves/${wave.id}/applicants`, { key: KEYS.operator })).body);
    answers.push((await api('GET', `/v1/stats/funnel?wave=${wave.number}`, { key: KEYS.operator })).body);
    // ... and every payload of the journey's history decoded by the codec endpoint, as the Temporal UI shows it.
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const { history } = await connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: `participant-${participantId}` } });
      const payloads = collectPayloads(history);
      expect(payloads.length).toBeGreaterThan(20);
      const decoded = await request(stack.apiUrl, 'POST', '/codec/decode', { key: KEYS.operator, body: { payloads } });
      expect(decoded.status).toBe(200);
      const plain = decoded.body.payloads.map((payload: { data?: string }) => Buffer.from(payload.data ?? '', 'base64').toString('utf8')).join('\n');
      expect(plain).toContain(participantId);
      answers.push(plain);
    } finally {
      await connection.close();
    }
    const answered = JSON.stringify(answers);
    for (const [what, value] of Object.entries(secrets)) expect({ what, found: answered.includes(value) }).toEqual({ what, found: false });
  });
});

/** Every Payload message anywhere in a history, as the codec endpoint takes them (base64 JSON). */
function collectPayloads(root: unknown): Array<{ metadata: Record<string, string>; data: string }> {
  const found: Array<{ metadata: Record<string, string>; data: string }> = [];
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const candidate = node as { metadata?: Record<string, Uint8Array>; data?: Uint8Array };
    if (candidate.data instanceof Uint8Array && candidate.metadata && typeof candidate.metadata === 'object') {
      found.push({
        metadata: Object.fromEntries(Object.entries(candidate.metadata).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
        data: Buffer.from(candidate.data).toString('base64'),
      });
      return;
    }
    Object.values(node).forEach(visit);
  };
  visit(root);
  return found;
}
