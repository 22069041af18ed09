import request from 'supertest';
import { AesGcmPayloadCodec } from '../../../lib/temporal/payload-codec';
import { bearer, buildApp, type AppUnderTest } from './app-under-test';

const UI_ORIGIN = 'http://127.0.0.1:8233';
const OPERATOR = bearer('dev-operator');
const b64 = (text: string) => Buffer.from(text).toString('base64');
const plainPayload = { metadata: { encoding: b64('json/plain') }, data: b64('{"participantId":"7a3f3c2e","stage":"ELIGIBLE"}') };

describe('codec endpoint for the Temporal UI', () => {
  let api: AppUnderTest;
  beforeAll(() => {
    api = buildApp();
  });
  afterAll(() => api.close());

  it('encrypts on encode and gives the payload back on decode', async () => {
    const encoded = await request(api.app).post('/codec/encode').set(OPERATOR).set('X-Namespace', 'default').send({ payloads: [plainPayload] });
    expect(encoded.status).toBe(200);
    const [ciphertext] = encoded.body.payloads;
    expect(Buffer.from(ciphertext.metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(ciphertext.data, 'base64').toString()).not.toContain('ELIGIBLE');

    const decoded = await request(api.app).post('/codec/decode').set(OPERATOR).send({ payloads: [ciphertext] });
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
    const decoded = await request(api.app).post('/codec/decode').set(OPERATOR).send({ payloads: [asJson] });
    expect(decoded.body.payloads).toEqual([{ metadata: { encoding: b64('json/plain') }, data: b64('"hello"') }]);
  });

  it('refuses a tampered payload with 400', async () => {
    const encoded = await request(api.app).post('/codec/encode').set(OPERATOR).send({ payloads: [plainPayload] });
    const [ciphertext] = encoded.body.payloads;
    const bytes = Buffer.from(ciphertext.data, 'base64');
    bytes[bytes.length - 1]! ^= 0xff;
    const answer = await request(api.app).post('/codec/decode').set(OPERATOR).send({ payloads: [{ ...ciphertext, data: bytes.toString('base64') }] });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('PAYLOAD_NOT_DECODABLE');
  });

  it('validates the body', async () => {
    const answer = await request(api.app).post('/codec/decode').set(OPERATOR).send({ payloads: [{ data: 'not base64!' }] });
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
    expect(answer.headers['access-control-allow-credentials']).toBe('true');
    expect(answer.headers['access-control-allow-methods']).toContain('POST');

    const decoded = await request(api.app).post('/codec/decode').set(OPERATOR).set('Origin', UI_ORIGIN).send({ payloads: [] });
    expect(decoded.status).toBe(200);
    expect(decoded.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
  });

  it('refuses other origins, preflight and request alike', async () => {
    const preflight = await request(api.app).options('/codec/decode').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const decode = await request(api.app).post('/codec/decode').set(OPERATOR).set('Origin', 'https://evil.example').send({ payloads: [] });
    expect(decode.status).toBe(403);
    expect(decode.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses calls without credentials, and roles that may not decode', async () => {
    const anonymous = await request(api.app).post('/codec/decode').send({ payloads: [] });
    expect(anonymous.status).toBe(401);
    expect((await request(api.app).post('/codec/decode').set(bearer('dev-program-manager')).send({ payloads: [] })).status).toBe(403);
    expect((await request(api.app).post('/codec/decode').set(bearer('dev-auditor')).send({ payloads: [] })).status).toBe(200);
    expect((await request(api.app).post('/codec/encode').set(bearer('dev-auditor')).send({ payloads: [] })).status).toBe(403);
  });

  it('opens a codec session as an HttpOnly, SameSite=Strict cookie for /codec, and decodes with it', async () => {
    const opened = await request(api.app).post('/codec/session').set(OPERATOR);
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ role: 'operator', name: 'dev-operator' });
    const cookie = String(opened.headers['set-cookie']);
    expect(cookie).toMatch(/^jalur_codec_session=[^;]+; Max-Age=28800; Path=\/codec; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
    const session = cookie.split(';')[0]!;
    const decoded = await request(api.app).post('/codec/decode').set('Origin', UI_ORIGIN).set('Cookie', session).send({ payloads: [] });
    expect(decoded.status).toBe(200);
    expect(decoded.headers['access-control-allow-credentials']).toBe('true');
    // The cookie's token is for the codec alone: as a bearer token anywhere it is refused.
    const token = session.split('=')[1]!;
    expect((await request(api.app).get('/v1/me').set(bearer(token))).status).toBe(401);
    expect((await request(api.app).post('/codec/decode').set(bearer(token)).send({ payloads: [] })).status).toBe(401);
    // Nor does it open a session itself, and signing out clears it.
    expect((await request(api.app).post('/codec/session').set('Cookie', session)).status).toBe(401);
    const closed = await request(api.app).delete('/codec/session');
    expect(closed.status).toBe(204);
    expect(String(closed.headers['set-cookie'])).toMatch(/^jalur_codec_session=; Max-Age=0; Path=\/codec;/);
  });

  it('refuses a forged or tampered session cookie', async () => {
    for (const value of ['not-a-token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl']) {
      expect((await request(api.app).post('/codec/decode').set('Cookie', `jalur_codec_session=${value}`).send({ payloads: [] })).status).toBe(401);
    }
  });
});
