import request from 'supertest';
import { AesGcmPayloadCodec } from '../../../lib/temporal/payload-codec';
import { buildApp, type AppUnderTest } from './app-under-test';

const UI_ORIGIN = 'http://127.0.0.1:8233';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const plainPayload = { metadata: { encoding: b64('json/plain') }, data: b64('{"participantId":"7a3f3c2e","stage":"ELIGIBLE"}') };

describe('codec endpoint for the Temporal UI', () => {
  let api: AppUnderTest;
  beforeAll(() => {
    api = buildApp();
  });
  afterAll(() => api.close());

  it('encrypts on encode and gives the payload back on decode', async () => {
    const encoded = await request(api.app).post('/codec/encode').set('X-Namespace', 'default').send({ payloads: [plainPayload] });
    expect(encoded.status).toBe(200);
    const [ciphertext] = encoded.body.payloads;
    expect(Buffer.from(ciphertext.metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(ciphertext.data, 'base64').toString()).not.toContain('ELIGIBLE');

    const decoded = await request(api.app).post('/codec/decode').send({ payloads: [ciphertext] });
    expect(decoded.status).toBe(200);
    expect(decoded.body).toEqual({ payloads: [plainPayload] });
  });

  it('decodes what the client and worker codec wrote', async () => {
    const [written] = await new AesGcmPayloadCodec(api.config.payloadEncryption).encode([
      { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"hello"') },
    ]);
    const asJson = {
      metadata: Object.fromEntries(Object.entries(written!.metadata!).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
      data: Buffer.from(written!.data!).toString('base64'),
    };
    const decoded = await request(api.app).post('/codec/decode').send({ payloads: [asJson] });
    expect(decoded.body.payloads).toEqual([{ metadata: { encoding: b64('json/plain') }, data: b64('"hello"') }]);
  });

  it('refuses a tampered payload with 400', async () => {
    const encoded = await request(api.app).post('/codec/encode').send({ payloads: [plainPayload] });
    const [ciphertext] = encoded.body.payloads;
    const bytes = Buffer.from(ciphertext.data, 'base64');
    bytes[bytes.length - 1]! ^= 0xff;
    const answer = await request(api.app).post('/codec/decode').send({ payloads: [{ ...ciphertext, data: bytes.toString('base64') }] });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('PAYLOAD_NOT_DECODABLE');
  });

  it('validates the body', async () => {
    const answer = await request(api.app).post('/codec/decode').send({ payloads: [{ data: 'not base64!' }] });
    expect(answer.status).toBe(400);
    expect(answer.body.error.fields).toEqual({ 'payloads.0.data': 'must be base64' });
  });

  it('answers the CORS preflight of the Temporal UI', async () => {
    const answer = await request(api.app)
      .options('/codec/decode')
      .set('Origin', UI_ORIGIN)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,x-namespace');
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(answer.headers['access-control-allow-headers']).toBe('Content-Type, X-Namespace, Authorization');
    expect(answer.headers['access-control-allow-methods']).toContain('POST');

    const decoded = await request(api.app).post('/codec/decode').set('Origin', UI_ORIGIN).send({ payloads: [] });
    expect(decoded.status).toBe(200);
    expect(decoded.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
  });

  it('refuses other origins, preflight and request alike', async () => {
    const preflight = await request(api.app).options('/codec/decode').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const decode = await request(api.app).post('/codec/decode').set('Origin', 'https://evil.example').send({ payloads: [] });
    expect(decode.status).toBe(403);
    expect(decode.headers['access-control-allow-origin']).toBeUndefined();
  });
});
