// Appeals as far as they are pure or refused before the database: the document's type by its first
// bytes and its size, its storage sealed at rest, the participant's own token held to its own id,
// and the requests the API refuses before anything is looked up or written.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { appealDocumentOf, AppealDocumentStorage, detectDocumentFormat, MAX_APPEAL_DOCUMENT_BYTES } from '../../../api/appeals/appeal-documents';
import { PersonalDataCipher } from '../../../lib/personal-data';
import { PeopleTokens } from '../../../lib/people-tokens';
import { pngOf } from '../../support/photos';
import { bearer, buildApp, type AppUnderTest } from './app-under-test';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(64)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(64)]);
const base64 = (bytes: Buffer) => bytes.toString('base64');

describe('an appeal\'s document', () => {
  it('is recognised by its first bytes: PDF, JPEG or PNG, nothing else', () => {
    expect(detectDocumentFormat(PDF)).toEqual({ contentType: 'application/pdf', extension: 'pdf' });
    expect(detectDocumentFormat(JPEG)).toEqual({ contentType: 'image/jpeg', extension: 'jpg' });
    expect(detectDocumentFormat(pngOf(400, 400))).toEqual({ contentType: 'image/png', extension: 'png' });
    for (const other of [Buffer.from('PK\x03\x04zip'), Buffer.from('<html>'), Buffer.from('%PD'), Buffer.alloc(0)]) expect(detectDocumentFormat(other)).toBeUndefined();
  });

  it('is refused over 2 MiB decoded (413), and for an unknown type (415)', () => {
    const atLimit = Buffer.concat([PDF, Buffer.alloc(MAX_APPEAL_DOCUMENT_BYTES - PDF.length)]);
    expect(appealDocumentOf({ contentBase64: base64(atLimit) }).bytes).toHaveLength(MAX_APPEAL_DOCUMENT_BYTES);
    const overLimit = Buffer.concat([atLimit, Buffer.alloc(1)]);
    expect(() => appealDocumentOf({ contentBase64: base64(overLimit) })).toThrow(expect.objectContaining({ status: 413, code: 'DOCUMENT_TOO_LARGE' }));
    expect(() => appealDocumentOf({ contentBase64: base64(Buffer.from('GIF89a')) })).toThrow(expect.objectContaining({ status: 415 }));
  });

  it('is stored sealed, opens only for its participant, and is removed without a trace', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'jalur-appeal-documents-'));
    const cipher = new PersonalDataCipher({ activeKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) }, randomBytes(32));
    const storage = new AppealDocumentStorage(directory, cipher);
    const participantId = randomUUID();
    const appealId = randomUUID();
    const secret = Buffer.from('%PDF-1.4 Surat keterangan: tanggal lahir 1990-05-17');
    try {
      const stored = await storage.store(participantId, appealId, { ...appealDocumentOf({ contentBase64: base64(secret) }), fileName: 'surat.pdf' });
      expect(stored).toBe(path.join(directory, 'appeals', `${appealId}.pdf`));
      const atRest = fs.readFileSync(stored, 'utf8');
      expect(atRest).not.toContain('1990-05-17');
      expect(atRest).not.toContain(base64(secret));
      expect(fs.readdirSync(path.join(directory, 'appeals'))).toEqual([`${appealId}.pdf`]);
      expect(await storage.read(participantId, stored)).toEqual({ bytes: secret, fileName: 'surat.pdf' });
      await expect(storage.read(randomUUID(), stored)).rejects.toThrow();
      await storage.remove(stored);
      expect(fs.readdirSync(path.join(directory, 'appeals'))).toEqual([]);
      expect(await storage.read(participantId, stored)).toBeUndefined();
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('a participant\'s own token', () => {
  let api: AppUnderTest;
  let tokens: PeopleTokens;
  const participantId = randomUUID();
  beforeAll(() => {
    api = buildApp();
    tokens = new PeopleTokens(api.config.tokens);
  });
  afterAll(() => api.close());

  const own = () => tokens.issueParticipantToken({ participantId, ttlSeconds: 600 });

  it('opens its own participant\'s routes only; any other id is 404 like an unknown participant, and other routes 403', async () => {
    const { token } = await own();
    // Its own id gets past authorisation (then finds no database here: 503).
    expect((await request(api.app).get(`/v1/participants/${participantId}/status`).set(bearer(token))).status).toBe(503);
    for (const other of [randomUUID(), 'not-a-uuid', participantId.toUpperCase()]) {
      const status = await request(api.app).get(`/v1/participants/${other}/status`).set(bearer(token));
      expect([status.status, status.body.error.code, status.body.error.message]).toEqual([404, 'PARTICIPANT_NOT_FOUND', 'No such participant']);
      const appeal = await request(api.app).post(`/v1/participants/${other}/appeals`).set(bearer(token)).send({ statement: 'I was 18 on the day of the decision.' });
      expect([appeal.status, appeal.body.error.code]).toEqual([404, 'PARTICIPANT_NOT_FOUND']);
    }
    for (const [method, route] of [['get', `/v1/participants/${participantId}`], ['get', '/v1/me'], ['get', '/v1/appeals'], ['post', `/v1/participants/${participantId}/access-tokens`], ['post', `/v1/participants/${participantId}/withdrawal`]] as const) {
      expect([route, (await request(api.app)[method](route).set(bearer(token)).send({})).status]).toEqual([route, 403]);
    }
  });

  it('is never a person\'s token, and a person\'s token or a key is never a participant\'s', async () => {
    const { SignJWT } = await import('jose');
    const ring = api.config.tokens.signing!;
    const sign = (claims: Record<string, unknown>, audience: string, subject: string) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: ring.activeKeyId })
        .setIssuer(api.config.tokens.issuer)
        .setAudience(audience)
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(ring.keys.get(ring.activeKeyId)!);
    const participantAudience = `${api.config.tokens.audience}:participant`;
    const refused = [
      // The participant's role for the people's audience, and a person's role for the participants'.
      await sign({ jalur_role: 'participant' }, api.config.tokens.audience, participantId),
      await sign({ jalur_role: 'operator', name: 'Budi' }, participantAudience, participantId),
      // A participant's token naming no participant id.
      await sign({ jalur_role: 'participant' }, participantAudience, 'budi'),
    ];
    for (const token of refused) {
      expect((await request(api.app).get(`/v1/participants/${participantId}/status`).set(bearer(token))).status).toBe(401);
      expect((await request(api.app).get('/v1/me').set(bearer(token))).status).toBe(401);
    }
    // A people token or key on a participant's route is that role's, never the participant's: 403.
    const operator = await tokens.issue({ role: 'operator', name: 'Budi', ttlSeconds: 600 });
    for (const credential of [operator.token, 'dev-operator', 'dev-appeals-reviewer']) {
      expect((await request(api.app).get(`/v1/participants/${participantId}/status`).set(bearer(credential))).status).toBe(403);
    }
  });

  it('expires, and may not live longer than a day', async () => {
    const expired = await tokens.issueParticipantToken({ participantId, ttlSeconds: 60, now: new Date(Date.now() - 120_000) });
    const answer = await request(api.app).get(`/v1/participants/${participantId}/status`).set(bearer(expired.token));
    expect([answer.status, answer.body.error.code]).toEqual([401, 'TOKEN_EXPIRED']);
    await expect(tokens.issueParticipantToken({ participantId, ttlSeconds: 86_401 })).rejects.toThrow('at most 86400');
    const verified = await tokens.verifyParticipantToken((await own()).token);
    expect(verified).toMatchObject({ valid: true, holder: { participantId } });
  });
});

describe('appeal requests refused before anything is looked up or written', () => {
  let api: AppUnderTest;
  beforeAll(() => {
    api = buildApp();
  });
  afterAll(() => api.close());

  const participantId = randomUUID();
  const file = (body: unknown) => request(api.app).post(`/v1/participants/${participantId}/appeals`).set(bearer('dev-backend')).send(body as object);
  const statement = 'My date of birth in the registry is wrong.';

  it('checks the statement, the corrected identity and the document\'s encoding', async () => {
    const answer = await file({ statement: ' short ', correctedIdentity: { fullName: '', dateOfBirth: '1990-02-30' }, document: { contentBase64: 'not base64!' } });
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.error.fields).sort()).toEqual(['correctedIdentity.dateOfBirth', 'correctedIdentity.fullName', 'document.contentBase64', 'statement']);
  });

  it('refuses a document over 2 MiB (413 DOCUMENT_TOO_LARGE), however large the body, and one of another type (415)', async () => {
    const justOver = Buffer.concat([PDF, Buffer.alloc(MAX_APPEAL_DOCUMENT_BYTES)]);
    const tooLarge = await file({ statement, document: { contentBase64: base64(justOver) } });
    expect([tooLarge.status, tooLarge.body.error.code]).toEqual([413, 'DOCUMENT_TOO_LARGE']);
    const farOver = await file({ statement, document: { contentBase64: base64(Buffer.alloc(4 * 1024 * 1024)) } });
    expect([farOver.status, farOver.body.error.code]).toEqual([413, 'DOCUMENT_TOO_LARGE']);
    const wrongType = await file({ statement, document: { contentBase64: base64(Buffer.from('GIF89a, not a document')) } });
    expect([wrongType.status, wrongType.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it('takes the other routes\' small bodies: an ordinary step stays at 100 kB', async () => {
    const answer = await request(api.app).post(`/v1/participants/${participantId}/withdrawal`).set(bearer('dev-backend')).send({ reason: 'x'.repeat(200_000) });
    expect([answer.status, answer.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('requires the rules basis of an overturn, and only of an overturn', async () => {
    const decide = (body: object) => request(api.app).post(`/v1/appeals/${randomUUID()}/decision`).set(bearer('dev-appeals-reviewer')).send(body);
    const overturned = await decide({ outcome: 'OVERTURNED', reason: 'The registry was corrected.' });
    expect([overturned.status, overturned.body.error.fields]).toEqual([400, { rulesBasis: 'is required when the outcome is OVERTURNED' }]);
    const upheld = await decide({ outcome: 'UPHELD', reason: 'The decision stands.', rulesBasis: 'TODAY' });
    expect([upheld.status, upheld.body.error.fields]).toEqual([400, { rulesBasis: 'applies only when the outcome is OVERTURNED' }]);
    const short = await decide({ outcome: 'UPHELD', reason: 'no' });
    expect([short.status, Object.keys(short.body.error.fields)]).toEqual([400, ['reason']]);
    // An auditor reads appeals but never decides one.
    expect((await request(api.app).post(`/v1/appeals/${randomUUID()}/decision`).set(bearer('dev-auditor')).send({})).status).toBe(403);
  });

  it('issues a participant\'s token for 60 seconds to a day only', async () => {
    for (const ttlSeconds of [59, 86_401, 1.5, '3600']) {
      const answer = await request(api.app).post(`/v1/participants/${participantId}/access-tokens`).set(bearer('dev-backend')).send({ ttlSeconds });
      expect([ttlSeconds, answer.status, Object.keys(answer.body.error.fields)]).toEqual([ttlSeconds, 400, ['ttlSeconds']]);
    }
  });
});
