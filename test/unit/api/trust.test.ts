// People's tokens, abuse limits and the browser-facing defences, on the app built for supertest.
// (Stored API keys end to end need the database: test/integration/authorization-matrix.test.ts;
// here only their lookup cache, over a counting fake of the key table.)
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { checkPhotoDimensions, PHOTO_MAX_SIDE, PHOTO_MIN_SIDE } from '../../../api/participants/photo-storage';
import { Authenticator } from '../../../api/authentication';
import { parseStoredKey, secretMatches, digestSecret } from '../../../lib/api-keys';
import type { PrismaClient } from '../../../lib/database';
import { ConfigError, loadConfig } from '../../../lib/config';
import { PeopleTokens, parseTtl } from '../../../lib/people-tokens';
import { pngOf } from '../../support/photos';
import { bearer, buildApp, testEnvironment, type AppUnderTest } from './app-under-test';

const signingKey = () => randomBytes(32).toString('base64');


describe('people\'s tokens', () => {
  const env = testEnvironment({ AUTH_TOKEN_SIGNING_KEYS: `k1:${signingKey()}` });
  let api: AppUnderTest;
  let tokens: PeopleTokens;
  beforeAll(() => {
    api = buildApp({ env });
    tokens = new PeopleTokens(api.config.tokens);
  });
  afterAll(() => api.close());

  const me = (token: string) => request(api.app).get('/v1/me').set(bearer(token));

  it('accepts a token of our issuer and audience, naming the person and role', async () => {
    const { token } = await tokens.issue({ role: 'auditor', name: 'Ani', ttlSeconds: 600 });
    const answer = await me(token);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ role: 'auditor', name: 'Ani', credential: 'token' });
    expect((await request(api.app).get('/v1/rule-sets/00000000-0000-4000-8000-000000000000/audit').set(bearer(token))).status).not.toBe(403);
    expect((await request(api.app).post('/v1/waves').set(bearer(token)).send({})).status).toBe(403);
  });

  it('tolerates a small clock skew, and no more', async () => {
    const justExpired = await tokens.issue({ role: 'operator', name: 'Budi', ttlSeconds: 60, now: new Date(Date.now() - 60_000 - 10_000) });
    expect((await me(justExpired.token)).status).toBe(200);
    const expired = await tokens.issue({ role: 'operator', name: 'Budi', ttlSeconds: 60, now: new Date(Date.now() - 60_000 - 31_000) });
    const answer = await me(expired.token);
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('TOKEN_EXPIRED');
  });

  it('refuses another issuer, another audience, an unknown key id, a forged signature and a lifetime over the maximum', async () => {
    const ring = api.config.tokens.signing!;
    const variants = [
      new PeopleTokens({ ...api.config.tokens, issuer: 'someone-else' }),
      new PeopleTokens({ ...api.config.tokens, audience: 'another-api' }),
      new PeopleTokens({ ...api.config.tokens, signing: { activeKeyId: 'k9', keys: new Map([['k9', ring.keys.get('k1')!]]) } }),
      new PeopleTokens({ ...api.config.tokens, signing: { activeKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) } }),
      new PeopleTokens({ ...api.config.tokens, maxTtlSeconds: 30 * 24 * 3600 }),
    ];
    for (const [index, issuer] of variants.entries()) {
      const { token } = await issuer.issue({ role: 'operator', name: 'Budi', ttlSeconds: index === 4 ? 13 * 3600 : 600 });
      const answer = await me(token);
      expect([index, answer.status, answer.body.error.code]).toEqual([index, 401, 'UNAUTHENTICATED']);
    }
  });

  it('never takes the backend role from a token', async () => {
    const { SignJWT } = await import('jose');
    const ring = api.config.tokens.signing!;
    const token = await new SignJWT({ jalur_role: 'backend' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setIssuer('jalur')
      .setAudience('jalur-api')
      .setSubject('crm')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(ring.keys.get('k1')!);
    expect((await me(token)).status).toBe(401);
  });

  it('keeps accepting tokens of a retired signing key while it stays in the ring (rotation by key id)', async () => {
    const oldKey = api.config.tokens.signing!.keys.get('k1')!.toString('base64');
    const rotated = buildApp({ env: { ...env, AUTH_TOKEN_SIGNING_KEYS: `k1:${oldKey},k2:${signingKey()}` } });
    try {
      expect(rotated.config.tokens.signing!.activeKeyId).toBe('k2');
      const old = await tokens.issue({ role: 'operator', name: 'Budi', ttlSeconds: 600 });
      const fresh = await new PeopleTokens(rotated.config.tokens).issue({ role: 'operator', name: 'Budi', ttlSeconds: 600 });
      expect((await request(rotated.app).get('/v1/me').set(bearer(old.token))).status).toBe(200);
      expect((await request(rotated.app).get('/v1/me').set(bearer(fresh.token))).status).toBe(200);
      // The old process does not know k2 yet.
      expect((await me(fresh.token)).status).toBe(401);
    } finally {
      await rotated.close();
    }
  });

  it('parses token lifetimes', () => {
    expect([parseTtl('90s'), parseTtl('30m'), parseTtl('8h'), parseTtl('7d'), parseTtl('120')]).toEqual([90, 1800, 28_800, 604_800, 120]);
    expect(() => parseTtl('8 hours')).toThrow('is not a duration');
  });
});

describe('tokens from an identity provider (JWKS)', () => {
  let server: http.Server;
  let jwksUrl: string;
  let sign: (claims: Record<string, unknown>, kid?: string) => Promise<string>;

  beforeAll(async () => {
    const { exportJWK, generateKeyPair, SignJWT } = await import('jose');
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' }] });
    server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    sign = (claims, kid = 'idp-1') =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).setIssuer('https://id.example').setAudience('jalur').setSubject('budi@example.id').setIssuedAt().setExpirationTime('10m').sign(privateKey);
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('accepts the provider\'s tokens with its issuer and audience, and refuses the backend role and an unknown key id', async () => {
    const production = { ...testEnvironment(), NODE_ENV: 'production', AUTH_JWKS_URL: jwksUrl, AUTH_JWKS_ISSUER: 'https://id.example', AUTH_JWKS_AUDIENCE: 'jalur' };
    const api = buildApp({ env: production });
    try {
      const accepted = await request(api.app).get('/v1/me').set(bearer(await sign({ jalur_role: 'operator', name: 'Budi' })));
      expect([accepted.status, accepted.body.role, accepted.body.name]).toEqual([200, 'operator', 'Budi']);
      expect((await request(api.app).get('/v1/me').set(bearer(await sign({ jalur_role: 'backend' })))).status).toBe(401);
      expect((await request(api.app).get('/v1/me').set(bearer(await sign({ jalur_role: 'operator' }, 'unknown-kid')))).status).toBe(401);
      // Codec sessions are ours alone: the provider's token opens one (as a bearer) but is never one.
      expect((await request(api.app).post('/codec/decode').set('Cookie', `jalur_codec_session=${await sign({ jalur_role: 'operator' })}`).send({ payloads: [] })).status).toBe(401);
    } finally {
      await api.close();
    }
  });
});

describe('stored key format', () => {
  it('splits jalur_<id>_<secret> and compares the secret by digest', () => {
    const secret = randomBytes(32).toString('base64url');
    const parsed = parseStoredKey(`jalur_abcdefghij012345_${secret}`);
    expect(parsed).toEqual({ keyId: 'abcdefghij012345', secret });
    expect(secretMatches(secret, digestSecret(secret))).toBe(true);
    // One character changed (a random secret may already end in 'A': then 'B').
    const tampered = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect(secretMatches(tampered, digestSecret(secret))).toBe(false);
    expect(parseStoredKey('jalur_short_secret')).toBeUndefined();
    expect(parseStoredKey('dev-backend')).toBeUndefined();
  });
});

describe('stored key lookups', () => {
  const keyId = 'abcdefghij012345';
  const secret = randomBytes(32).toString('base64url');
  const row = { id: keyId, name: 'backend', role: 'backend', platformId: null, secretDigest: digestSecret(secret), expiresAt: null, revokedAt: null };

  /** An Authenticator over a key table that counts its queries and answers each after `answer`. */
  function authenticatorOver(answer: () => Promise<typeof row>) {
    const lookups = { count: 0 };
    const prisma = { apiKey: { findUnique: () => ((lookups.count += 1), answer()) } } as unknown as PrismaClient;
    const config = loadConfig(testEnvironment());
    const authenticator = new Authenticator({ config, prisma, tokens: new PeopleTokens(config.tokens), now: () => new Date() });
    return { authenticator, lookups };
  }

  it('answers requests that arrive together with one database query (no stampede when the cache entry is missing)', async () => {
    const { authenticator, lookups } = authenticatorOver(() => new Promise((resolve) => setTimeout(() => resolve(row), 20)));
    const answers = await Promise.all(Array.from({ length: 50 }, () => authenticator.authenticate(`Bearer jalur_${keyId}_${secret}`)));
    expect(answers.every((answer) => answer.authenticated && answer.caller.role === 'backend')).toBe(true);
    expect(lookups.count).toBe(1);
    // And a wrong secret for the same id is refused from the same cached row.
    expect(await authenticator.authenticate(`Bearer jalur_${keyId}_${'A'.repeat(43)}`)).toEqual({ authenticated: false, reason: 'UNKNOWN' });
    expect(lookups.count).toBe(1);
  });

  it('does not keep a failed lookup: the next request asks the database again', async () => {
    let failing = true;
    const { authenticator, lookups } = authenticatorOver(() => (failing ? Promise.reject(new Error('database unavailable')) : Promise.resolve(row)));
    await expect(authenticator.authenticate(`Bearer jalur_${keyId}_${secret}`)).rejects.toThrow('database unavailable');
    failing = false;
    expect((await authenticator.authenticate(`Bearer jalur_${keyId}_${secret}`)).authenticated).toBe(true);
    expect(lookups.count).toBe(2);
  });
});

describe('abuse limits', () => {
  it('answers 429 RATE_LIMITED with Retry-After past the per-address limit, but never on /health', async () => {
    const api = buildApp({ env: testEnvironment({ RATE_LIMIT_PER_IP: '3', RATE_LIMIT_WINDOW_SECONDS: '60' }) });
    try {
      for (let i = 0; i < 3; i++) expect((await request(api.app).get('/openapi.json')).status).toBe(200);
      const limited = await request(api.app).get('/openapi.json');
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect((await request(api.app).get('/health')).status).not.toBe(429);
    } finally {
      await api.close();
    }
  });

  it('counts per credential: one key over its limit leaves the others alone', async () => {
    const api = buildApp({ env: testEnvironment({ RATE_LIMIT_PER_CREDENTIAL: '2' }) });
    try {
      const operator = () => request(api.app).get('/v1/me').set(bearer('dev-operator'));
      expect((await operator()).status).toBe(200);
      expect((await operator()).status).toBe(200);
      const limited = await operator();
      expect([limited.status, limited.body.error.code]).toEqual([429, 'RATE_LIMITED']);
      expect(limited.headers['retry-after']).toBeDefined();
      expect((await request(api.app).get('/v1/me').set(bearer('dev-auditor'))).status).toBe(200);
    } finally {
      await api.close();
    }
  });

  it('does not throttle with the defaults', () => {
    const config = loadConfig(testEnvironment());
    expect(config.api.rateLimits).toEqual({ windowSeconds: 60, perIp: 600_000, perCredential: 600_000 });
  });
});

describe('browser-facing defences', () => {
  let api: AppUnderTest;
  beforeAll(() => {
    api = buildApp({ env: testEnvironment({ API_CORS_ORIGINS: 'https://partner.example' }) });
  });
  afterAll(() => api.close());

  it('sends security headers, with a CSP the console fits in', async () => {
    const answer = await request(api.app).get('/health');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(answer.headers['content-security-policy']).toContain("script-src 'self'");
    expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    // Served over plain HTTP on the loopback: no HTTPS upgrade, no HSTS.
    expect(answer.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(answer.headers['strict-transport-security']).toBeUndefined();
    expect(answer.headers['x-powered-by']).toBeUndefined();
  });

  it('lets in the API\'s own origin and the allow-list, and refuses any other origin', async () => {
    const own = await request(api.app).get('/v1/me').set('Host', 'api.test').set('Origin', 'http://api.test').set(bearer('dev-operator'));
    expect(own.status).toBe(200);
    const partner = await request(api.app).options('/v1/rule-sets').set('Origin', 'https://partner.example').set('Access-Control-Request-Method', 'GET');
    expect(partner.status).toBe(204);
    expect(partner.headers['access-control-allow-origin']).toBe('https://partner.example');
    expect(partner.headers['access-control-allow-credentials']).toBeUndefined();
    for (const method of ['get', 'options'] as const) {
      const evil = await request(api.app)[method]('/v1/rule-sets').set('Origin', 'https://evil.example').set(bearer('dev-operator'));
      expect([evil.status, evil.body?.error?.code, evil.headers['access-control-allow-origin']]).toEqual([403, 'ORIGIN_NOT_ALLOWED', undefined]);
    }
  });

  it('keeps JSON bodies small', async () => {
    const answer = await request(api.app).post('/v1/waves').set(bearer('dev-program-manager')).set('Content-Type', 'application/json').send(`{"x":"${'a'.repeat(110 * 1024)}"}`);
    expect([answer.status, answer.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });
});

describe('ID photo dimensions', () => {
  const png = { contentType: 'image/png', extension: 'png' } as const;
  it('accepts a legible photo and refuses a tiny one, a pixel bomb and an unreadable header', () => {
    expect(checkPhotoDimensions(pngOf(640, 480), png)).toEqual({ width: 640, height: 480 });
    expect(() => checkPhotoDimensions(pngOf(PHOTO_MIN_SIDE - 1, 480), png)).toThrow('between');
    expect(() => checkPhotoDimensions(pngOf(50_000, 50_000), png)).toThrow(`${PHOTO_MAX_SIDE}`);
    expect(() => checkPhotoDimensions(pngOf(640, 480).subarray(0, 12), png)).toThrow('cannot be read');
    expect(() => checkPhotoDimensions(pngOf(640, 480), { contentType: 'image/jpeg', extension: 'jpg' })).toThrow('cannot be read');
  });
});

describe('configuration', () => {
  it('refuses malformed signing keys and knows the defaults', () => {
    expect(() => loadConfig(testEnvironment({ AUTH_TOKEN_SIGNING_KEYS: 'k1:c2hvcnQ=' }))).toThrow(ConfigError);
    const config = loadConfig(testEnvironment());
    expect(config.api.keyCacheSeconds).toBe(30);
    expect(config.api.timeouts).toEqual({ headersMs: 15_000, requestMs: 60_000, keepAliveMs: 5_000 });
    expect(config.tokens).toMatchObject({ issuer: 'jalur', audience: 'jalur-api', clockToleranceSeconds: 30, maxTtlSeconds: 43_200, roleClaim: 'jalur_role' });
  });

  it('in production: no development signing key, and tokens only from configured keys or a JWKS', () => {
    const production = { ...testEnvironment(), NODE_ENV: 'production' };
    expect(loadConfig(production).tokens.signing).toBeUndefined();
    const withJwks = loadConfig({ ...production, AUTH_JWKS_URL: 'https://id.example/.well-known/jwks.json' });
    expect(withJwks.tokens.jwks).toEqual({ url: 'https://id.example/.well-known/jwks.json', issuer: 'jalur', audience: 'jalur-api' });
    expect(loadConfig(production).api.keys).toEqual([]);
  });
});
