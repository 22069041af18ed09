// The Temporal server stores only ciphertext; the codec endpoint gives operators the plaintext.
import { Connection } from '@temporalio/client';
import { api, createResident, eventually, KEYS, registrationFor, request } from '../support/http';
import { readTestStack } from '../support/test-stack';

describe('payload encryption', () => {
  it('keeps histories encrypted on the server and readable through the codec endpoint', async () => {
    const stack = readTestStack();
    const resident = await createResident();
    const { body } = await api('POST', '/v1/registrations', { body: registrationFor(resident) });
    const participantId: string = body.participantId;

    // A client WITHOUT the codec sees what the server stores.
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const history = await eventually(async () => {
        const answer = await connection.workflowService.getWorkflowExecutionHistory({
          namespace: 'default',
          execution: { workflowId: `participant-${participantId}` },
        });
        return answer.history?.events?.length ? answer.history : undefined;
      }, 'the workflow history');
      const started = history.events![0]!.workflowExecutionStartedEventAttributes!;
      const payload = started.input!.payloads![0]!;
      expect(Buffer.from(payload.metadata!.encoding!).toString()).toBe('binary/encrypted');
      expect(Buffer.from(payload.data!).toString('latin1')).not.toContain(participantId);

      const codecBody = { payloads: [{ metadata: Object.fromEntries(Object.entries(payload.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(payload.data!).toString('base64') }] };
      // Only for operators (and auditors): without a credential the codec says nothing.
      expect((await request(stack.apiUrl, 'POST', '/codec/decode', { body: codecBody })).status).toBe(401);
      const decoded = await request(stack.apiUrl, 'POST', '/codec/decode', { body: codecBody, key: KEYS.operator });
      expect(decoded.status).toBe(200);
      const plain = decoded.body.payloads[0];
      expect(Buffer.from(plain.metadata.encoding, 'base64').toString()).toBe('json/plain');
      expect(JSON.parse(Buffer.from(plain.data, 'base64').toString())).toMatchObject({ participantId });
      // No personal data in the workflow input at all, even encrypted.
      expect(Buffer.from(plain.data, 'base64').toString()).not.toContain(resident.nik);
    } finally {
      await connection.close();
    }
  });
});
