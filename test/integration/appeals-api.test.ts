// The participant's side of the API and the reviewers' over HTTP against the running stack: a
// participant's own token (their status, nobody else's), an appeal with its document, the
// reviewers' queue and their reading of it (logged), a reviewer who took part in the decision
// refused, and a decision the participant then reads. The eligibility rules in force during these
// tests are the default ones plus a rule for a province nobody uses, authored by a program manager
// named Rina: every decision they make names her, and she may not decide its appeal.
import fs from 'node:fs';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import defaultRuleSet from '../../rules/default-rule-set.json';
import { loadConfig } from '../../lib/config';
import { PeopleTokens } from '../../lib/people-tokens';
import { connectTestDatabase, connectTestTemporal } from '../support/clients';
import { api, createOpenWave, eventually, FAST_CALENDAR, KEYS, request, waitForStage } from '../support/http';
import { register, registerAndVerify, verifyEmail, waitForState } from '../support/journeys';
import { readTestStack } from '../support/test-stack';
import { metricValue } from '../support/metrics';

jest.setTimeout(180_000);

const REVIEWER = 'dev-appeals-reviewer';
const AUDITOR = 'dev-auditor';
const config = loadConfig({ ...readTestStack().env });
const tokens = new PeopleTokens(config.tokens);
const prisma = connectTestDatabase();
const APPEALS_DIR = path.join(config.photoStorageDir, 'appeals');

const RUN = randomInt(1e9);
const RULE_SET_NAME = `it-appeals-${RUN}`;
const markerRule = {
  name: 'appeals-test-province-excluded',
  conditions: { all: [{ fact: 'province', operator: 'equal', value: 'Test Province Appeals' }] },
  event: {
    type: 'ineligible',
    params: {
      code: 'APPEALS_TEST_PROVINCE_EXCLUDED',
      message: 'Not offered in the appeals test province.',
      reference: 'Keputusan uji coba Nomor 2 Tahun 2020, Pasal 1',
      messages: { id: 'Program ini tidak tersedia di provinsi uji banding.', en: 'The program is not offered in the appeals test province.' },
    },
  },
};

/** A PDF that says what it is in its first bytes, with a line a scan of the stored file must not find. */
const PDF = Buffer.from('%PDF-1.4\n% Surat keterangan lahir: 2008-01-15, Kelurahan Menteng\n%%EOF\n');
const STATEMENT = 'Saya lahir tahun 2008 tetapi akta kelahiran saya menunjukkan tanggal yang berbeda; mohon ditinjau.';

let rina: string;
let rinaAsReviewer: string;
let ruleSet: { id: string; version: number };

const asParticipant = (token: string) => ({ key: token });
const call = (method: string, route: string, options: { key?: string; body?: unknown } = {}) => request(readTestStack().apiUrl, method, route, options);
const appealsOnDisk = () => (fs.existsSync(APPEALS_DIR) ? fs.readdirSync(APPEALS_DIR).sort() : []);

/** Seventeen years and some months old today (WIB): under the program's minimum age of 18. */
function seventeenYearOldBirthDate(): string {
  const date = new Date(Date.now() + 7 * 3_600_000);
  date.setUTCFullYear(date.getUTCFullYear() - 17);
  date.setUTCDate(date.getUTCDate() - 120);
  return date.toISOString().slice(0, 10);
}

async function ownToken(participantId: string): Promise<string> {
  const issued = await api('POST', `/v1/participants/${participantId}/access-tokens`, { body: { ttlSeconds: 900 } });
  expect(issued.status).toBe(201);
  expect(Date.parse(issued.body.expiresAt) - Date.now()).toBeGreaterThan(800_000);
  return issued.body.token as string;
}

async function ineligibleParticipant(): Promise<{ participantId: string; dateOfBirth: string; token: string }> {
  const dateOfBirth = seventeenYearOldBirthDate();
  const { participantId } = await registerAndVerify({ dateOfBirth });
  const ended = await waitForStage(participantId, 'INELIGIBLE', 90_000);
  expect(ended.eligibility).toMatchObject({ outcome: 'INELIGIBLE', ruleSetId: ruleSet.id, reasons: [expect.objectContaining({ code: 'UNDER_MINIMUM_AGE' })] });
  const token = await ownToken(participantId);
  // The stage changes first; the journey opens the appeal window once it has recorded the exit.
  await eventually(async () => {
    const status = await call('GET', `/v1/participants/${participantId}/status`, asParticipant(token));
    return status.body?.nextStep?.code === 'APPEAL' ? status.body : undefined;
  }, 'the appeal window to open');
  return { participantId, dateOfBirth, token };
}

beforeAll(async () => {
  rina = (await tokens.issue({ role: 'program-manager', name: 'Rina', ttlSeconds: 1_800 })).token;
  rinaAsReviewer = (await tokens.issue({ role: 'reviewer', name: 'Rina', ttlSeconds: 1_800 })).token;
  // Rina writes and submits the version in force; a second program manager approves it.
  const draft = await call('POST', '/v1/rule-sets', { key: rina, body: { name: RULE_SET_NAME, description: 'appeals integration test', rules: [...structuredClone(defaultRuleSet.rules), markerRule] } });
  expect(draft.status).toBe(201);
  expect((await call('POST', `/v1/rule-sets/${draft.body.id}/submit`, { key: rina, body: { comment: 'appeals test' } })).status).toBe(200);
  const approved = await call('POST', `/v1/rule-sets/${draft.body.id}/approve`, { key: KEYS.reviewer, body: { comment: 'checked' } });
  expect(approved.body).toMatchObject({ status: 'PUBLISHED', inForce: true, createdBy: 'Rina' });
  ruleSet = { id: approved.body.id, version: approved.body.version };
});

afterAll(async () => {
  if (ruleSet) await call('POST', `/v1/rule-sets/${ruleSet.id}/retire`, { key: KEYS.programManager });
  await prisma.$disconnect();
});

describe('a participant\'s own token', () => {
  it('reads its own status, in the participant\'s language, and nobody else\'s', async () => {
    const { participantId } = await registerAndVerify();
    const other = await register();
    await waitForStage(participantId, 'ELIGIBLE', 90_000);
    const token = await ownToken(participantId);

    const status = await call('GET', `/v1/participants/${participantId}/status`, asParticipant(token));
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      participantId,
      language: 'id',
      stage: 'ELIGIBLE',
      stageLabel: 'Memenuhi syarat',
      nextStep: { code: 'APPLY_TO_WAVE', dueBy: null },
      reasons: [],
      exit: null,
      trainingBalance: 0,
      payments: [],
      totalPaid: 0,
      appeal: null,
      appealableUntil: null,
      noticeChannel: 'EMAIL',
    });
    expect(JSON.stringify(status.body)).not.toContain('Siti');
    const inEnglish = await call('GET', `/v1/participants/${participantId}/status?lang=en`, asParticipant(token));
    expect(inEnglish.body).toMatchObject({ language: 'en', stageLabel: 'Eligible' });

    // Another participant's status and appeal: exactly an unknown participant's answer.
    const unknown = await call('GET', `/v1/participants/${'00000000-0000-4000-8000-000000000000'}/status`, { key: KEYS.backend });
    for (const answer of [
      await call('GET', `/v1/participants/${other.participantId}/status`, asParticipant(token)),
      await call('POST', `/v1/participants/${other.participantId}/appeals`, { ...asParticipant(token), body: { statement: STATEMENT } }),
    ]) {
      expect(answer.status).toBe(404);
      expect({ code: answer.body.error.code, message: answer.body.error.message }).toEqual({ code: unknown.body.error.code, message: unknown.body.error.message });
    }
    expect(unknown.body.error.code).toBe('PARTICIPANT_NOT_FOUND');

    // Nothing else opens to it; and no key or person's token stands in for the participant.
    const otherRoutes = [['GET', `/v1/participants/${participantId}`], ['GET', '/v1/appeals'], ['GET', '/v1/me'], ['POST', `/v1/participants/${participantId}/access-tokens`]] as const;
    for (const [method, route] of otherRoutes) {
      expect([route, (await call(method, route, { ...asParticipant(token), body: method === 'POST' ? {} : undefined })).status]).toEqual([route, 403]);
    }
    for (const credential of [KEYS.operator, REVIEWER, rina]) {
      expect((await call('GET', `/v1/participants/${participantId}/status`, { key: credential })).status).toBe(403);
    }
    expect((await api('POST', `/v1/participants/${'00000000-0000-4000-8000-000000000000'}/access-tokens`, { body: {} })).status).toBe(404);
  });
});

describe('appeals', () => {
  it('files an ineligible participant\'s appeal with a PDF; a reviewer reads it, logged; a reviewer named in the decision may not decide it; upheld, the participant reads why', async () => {
    const { participantId, dateOfBirth, token } = await ineligibleParticipant();
    const before = await call('GET', `/v1/participants/${participantId}/status`, asParticipant(token));
    expect(before.body).toMatchObject({
      stage: 'INELIGIBLE',
      reasons: [{ code: 'UNDER_MINIMUM_AGE', text: expect.any(String), reference: expect.any(String) }],
      exit: { stage: 'INELIGIBLE', repayment: null },
      nextStep: { code: 'APPEAL', dueBy: before.body.appealableUntil },
    });
    expect(Date.parse(before.body.appealableUntil)).toBeGreaterThan(Date.now());

    const filed = await call('POST', `/v1/participants/${participantId}/appeals`, {
      ...asParticipant(token),
      body: { statement: `  ${STATEMENT}  `, document: { contentBase64: PDF.toString('base64'), fileName: 'akta-kelahiran.pdf' } },
    });
    expect(filed.status).toBe(201);
    expect(filed.body).toEqual({ appealId: expect.any(String), status: 'OPEN', filedAt: expect.any(String), stage: 'INELIGIBLE' });
    const { appealId } = filed.body;
    // Stored sealed under the appeal's id: neither the bytes nor what they say are readable at rest.
    const stored = fs.readFileSync(path.join(APPEALS_DIR, `${appealId}.pdf`), 'utf8');
    expect(stored).not.toContain('Menteng');
    expect(stored).not.toContain(PDF.toString('base64'));

    // One appeal per way out.
    const filesBefore = appealsOnDisk();
    const second = await call('POST', `/v1/participants/${participantId}/appeals`, {
      ...asParticipant(token),
      body: { statement: 'Saya ingin menambahkan keterangan lain.', document: { contentBase64: PDF.toString('base64') } },
    });
    expect([second.status, second.body.error.code]).toEqual([409, 'APPEAL_ALREADY_FILED']);
    expect(appealsOnDisk()).toEqual(filesBefore);
    expect(await prisma.appeal.count({ where: { participantId } })).toBe(1);

    // The reviewers' queue.
    const queue = await call('GET', '/v1/appeals?status=OPEN&limit=500', { key: REVIEWER });
    expect(queue.status).toBe(200);
    expect(queue.body.appeals).toContainEqual({
      appealId,
      participantId,
      appealedStage: 'INELIGIBLE',
      status: 'OPEN',
      filedAt: filed.body.filedAt,
      ageHours: 0,
      windowEndsAt: before.body.appealableUntil,
      decidedAt: null,
      decidedBy: null,
      result: null,
    });
    expect(queue.body.openByAge.underOneDay).toBeGreaterThanOrEqual(1);
    const filedTimes = queue.body.appeals.map((entry: { filedAt: string }) => entry.filedAt);
    expect(filedTimes).toEqual([...filedTimes].sort());

    // The appeal as a reviewer reads it: the statement, the decision's version, every condition with its facts.
    const detail = await call('GET', `/v1/appeals/${appealId}`, { key: REVIEWER });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      appealId,
      participantId,
      participantStage: 'INELIGIBLE',
      appealedStage: 'INELIGIBLE',
      status: 'OPEN',
      statement: STATEMENT,
      identityCorrected: false,
      document: { contentType: 'application/pdf', url: `/v1/appeals/${appealId}/document` },
      appealedDecision: { reason: 'UNDER_MINIMUM_AGE', by: null, eligibility: { ruleSetId: ruleSet.id, ruleSetVersion: ruleSet.version, outcome: 'INELIGIBLE' } },
      eligibilityDecision: {
        ruleSetId: ruleSet.id,
        ruleSetVersion: ruleSet.version,
        trigger: 'INITIAL',
        outcome: 'INELIGIBLE',
        reasons: [expect.objectContaining({ code: 'UNDER_MINIMUM_AGE' })],
        registryAnswers: { isStudent: false, socialAidPrograms: [], onLaidOffList: true, previousParticipations: 0, identityStatus: 'MATCH' },
      },
      decidedBy: null,
      decisionReason: null,
    });
    expect(detail.body.decisionActors).toEqual(expect.arrayContaining(['Rina', KEYS.reviewer]));
    const { explanation } = detail.body.eligibilityDecision;
    expect(explanation.facts).toMatchObject({ dateOfBirth, age: 17, province: 'DKI Jakarta' });
    expect(explanation.rules.map((rule: { name: string }) => rule.name)).toEqual([...defaultRuleSet.rules.map((rule) => rule.name), markerRule.name]);
    expect(explanation.rules[0]).toMatchObject({
      name: 'under-minimum-age',
      fired: true,
      conditions: { all: [{ fact: 'age', operator: 'lessThan', value: 18, factValue: 17, result: true }], result: true },
    });

    // Each read by a person is in the personal-data access log, with what was read.
    const document = await fetch(`${readTestStack().apiUrl}/v1/appeals/${appealId}/document`, { headers: { authorization: `Bearer ${AUDITOR}` } });
    expect(document.status).toBe(200);
    expect(document.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await document.arrayBuffer())).toEqual(PDF);
    const log = await call('GET', `/v1/personal-data-access?participantId=${participantId}`, { key: AUDITOR });
    expect(log.body.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: detail.body.accessLogEntryId, action: 'APPEAL_REVIEW', actor: REVIEWER, role: 'reviewer', fields: expect.arrayContaining(['appealStatement', 'decisionExplanation.dateOfBirth']) }),
        expect.objectContaining({ action: 'APPEAL_REVIEW', actor: AUDITOR, role: 'auditor', fields: ['appealDocument'] }),
      ]),
    );

    const waiting = await call('GET', `/v1/participants/${participantId}/status`, asParticipant(token));
    expect(waiting.body).toMatchObject({ nextStep: { code: 'WAIT_FOR_APPEAL_DECISION' }, appeal: { appealId, status: 'OPEN', decidedAt: null, reviewerReason: null } });

    // Rina wrote the rules that decided: as a reviewer she may not decide the appeal, and nothing changes.
    const own = await call('POST', `/v1/appeals/${appealId}/decision`, { key: rinaAsReviewer, body: { outcome: 'UPHELD', reason: 'The age rule was applied correctly.' } });
    expect([own.status, own.body.error.code]).toEqual([403, 'OWN_DECISION']);
    expect(await prisma.appeal.findUniqueOrThrow({ where: { id: appealId } })).toMatchObject({ status: 'OPEN', decidedBy: null, decisionReason: null });
    expect((await call('GET', `/v1/participants/${participantId}/status`, asParticipant(token))).body.appeal.status).toBe('OPEN');
    // Auditors read appeals, and never decide them.
    expect((await call('POST', `/v1/appeals/${appealId}/decision`, { key: AUDITOR, body: { outcome: 'UPHELD', reason: 'Not mine to decide.' } })).status).toBe(403);

    const reason = 'Dukcapil records your date of birth as given; you were 17 on the day of the decision.';
    const upheld = await call('POST', `/v1/appeals/${appealId}/decision`, { key: REVIEWER, body: { outcome: 'UPHELD', reason } });
    expect(upheld.status).toBe(200);
    expect(upheld.body).toMatchObject({ appealId, status: 'UPHELD', decidedBy: REVIEWER, decisionReason: reason, rulesBasis: null, decidedAt: expect.any(String) });
    const again = await call('POST', `/v1/appeals/${appealId}/decision`, { key: 'dev-appeals-reviewer-2', body: { outcome: 'OVERTURNED', reason: 'Second thoughts.', rulesBasis: 'TODAY' } });
    expect([again.status, again.body.error.code]).toEqual([409, 'APPEAL_NOT_OPEN']);

    const after = await call('GET', `/v1/participants/${participantId}/status?lang=en`, asParticipant(token));
    expect(after.body).toMatchObject({
      stage: 'INELIGIBLE',
      nextStep: null,
      appeal: { appealId, status: 'UPHELD', filedAt: filed.body.filedAt, decidedAt: upheld.body.decidedAt, result: null, reviewerReason: reason },
    });

    // Operators read where the appeal stands on the participant's record (without the statement).
    const record = await call('GET', `/v1/participants/${participantId}`, { key: KEYS.operator });
    expect(record.body).toMatchObject({
      appealableUntil: before.body.appealableUntil,
      appeal: { appealId, appealedStage: 'INELIGIBLE', status: 'UPHELD', decidedBy: REVIEWER, rulesBasis: null, result: null },
    });

    // The participant's right of access covers the appeal, as they wrote it.
    const exported = await api('POST', `/v1/participants/${participantId}/data-export`, { body: { reason: 'Data-subject access request from the participant app' } });
    expect(exported.body.appeals).toEqual([
      expect.objectContaining({ id: appealId, statement: STATEMENT, status: 'UPHELD', decisionReason: reason, document: { onFile: true, contentType: 'application/pdf' } }),
    ]);
    expect(exported.body.appeals[0]).not.toHaveProperty('sealedStatement');

    // Operators and auditors see the appeal's steps beside the operator actions.
    const trail = await call('GET', `/v1/participants/${participantId}/audit-trail`, { key: KEYS.operator });
    expect(trail.body).toMatchObject({ participantId, actions: [] });
    expect(trail.body.appealSteps).toEqual([
      expect.objectContaining({ appealId, step: 'FILED', at: filed.body.filedAt, actorRole: 'participant', appealedStage: 'INELIGIBLE', withDocument: true, identityCorrected: false }),
      expect.objectContaining({ appealId, step: 'DECIDED', at: upheld.body.decidedAt, actor: REVIEWER, actorRole: 'reviewer', outcome: 'UPHELD', reason }),
    ]);
    const funnel = await call('GET', '/v1/stats/funnel', { key: KEYS.operator });
    expect(funnel.body.appeals).toEqual({ opened: expect.any(Number), open: expect.any(Number), upheld: expect.any(Number), overturned: expect.any(Number), reinstated: expect.any(Number) });
    expect(funnel.body.appeals.upheld).toBeGreaterThanOrEqual(1);
  });

  it('refuses a document over 2 MiB before anything is stored: no file, no appeal', async () => {
    const { participantId, token } = await ineligibleParticipant();
    const filesBefore = appealsOnDisk();
    const tooLarge = Buffer.concat([PDF, Buffer.alloc(2 * 1024 * 1024)]);
    const answer = await call('POST', `/v1/participants/${participantId}/appeals`, { ...asParticipant(token), body: { statement: STATEMENT, document: { contentBase64: tooLarge.toString('base64') } } });
    expect([answer.status, answer.body.error.code]).toEqual([413, 'DOCUMENT_TOO_LARGE']);
    expect(appealsOnDisk()).toEqual(filesBefore);
    expect(await prisma.appeal.count({ where: { participantId } })).toBe(0);
    // The window is still open to a proper appeal.
    expect((await call('GET', `/v1/participants/${participantId}/status`, asParticipant(token))).body.nextStep.code).toBe('APPEAL');
  });

  it('refuses an appeal at a stage that cannot be appealed, and keeps nothing of it', async () => {
    const { participantId } = await register();
    await waitForState(participantId, 'the verification deadline', (state) => state.stage === 'AWAITING_EMAIL_VERIFICATION' && state.deadlines?.emailVerificationBy != null);
    const token = await ownToken(participantId);
    const filesBefore = appealsOnDisk();
    const answer = await call('POST', `/v1/participants/${participantId}/appeals`, { ...asParticipant(token), body: { statement: STATEMENT, document: { contentBase64: PDF.toString('base64') } } });
    expect([answer.status, answer.body.error.code]).toEqual([409, 'WRONG_STAGE']);
    expect(appealsOnDisk()).toEqual(filesBefore);
    expect(await prisma.appeal.count({ where: { participantId } })).toBe(0);
    const status = await call('GET', `/v1/participants/${participantId}/status`, asParticipant(token));
    expect(status.body).toMatchObject({ stage: 'AWAITING_EMAIL_VERIFICATION', nextStep: { code: 'VERIFY_EMAIL', dueBy: expect.any(String) }, appeal: null });
  });

  it('answers APPEAL_WINDOW_CLOSED once the window has closed and the journey has finished, and keeps nothing of the appeal', async () => {
    // A wave opened before any other gives its calendar, with a four-second appeal window, to a
    // registration; closed as soon as the journey has read it, it gives it to nobody else.
    const wave = await createOpenWave({ opensAt: new Date(Date.now() - 365 * 86_400_000).toISOString(), calendar: { ...FAST_CALENDAR, appealWindow: 'PT4S' } });
    const registered = await register({ dateOfBirth: seventeenYearOldBirthDate() });
    const { participantId } = registered;
    await waitForState(participantId, 'the journey to read its calendar', (state) => state.calendar?.appealWindow === 'PT4S');
    expect((await call('POST', `/v1/waves/${wave.id}/close`, { key: KEYS.programManager })).status).toBe(200);
    await verifyEmail(registered);
    await waitForStage(participantId, 'INELIGIBLE', 90_000);
    const token = await ownToken(participantId);
    const temporal = await connectTestTemporal();
    try {
      await temporal.client.workflow.getHandle(`participant-${participantId}`).result();
    } finally {
      await temporal.close();
    }
    const status = await call('GET', `/v1/participants/${participantId}/status`, asParticipant(token));
    expect(status.body).toMatchObject({ stage: 'INELIGIBLE', nextStep: null, appeal: null });
    expect(Date.parse(status.body.appealableUntil)).toBeLessThanOrEqual(Date.now());

    const filesBefore = appealsOnDisk();
    const late = await call('POST', `/v1/participants/${participantId}/appeals`, { ...asParticipant(token), body: { statement: STATEMENT, document: { contentBase64: PDF.toString('base64') } } });
    expect([late.status, late.body.error.code]).toEqual([409, 'APPEAL_WINDOW_CLOSED']);
    expect(appealsOnDisk()).toEqual(filesBefore);
    expect(await prisma.appeal.count({ where: { participantId } })).toBe(0);
  });
});

describe('appeals in /metrics', () => {
  it('counts the appeals by status and result, and the open ones by age, as the table holds them', async () => {
    const prisma = connectTestDatabase();
    try {
      const scrape = async () => (await fetch(`${readTestStack().apiUrl}/metrics`, { headers: { authorization: `Bearer ${KEYS.operator}` } })).text();
      await eventually(async () => {
        const [metrics, byStatus, open] = await Promise.all([scrape(), prisma.appeal.groupBy({ by: ['status', 'result'], _count: { _all: true } }), prisma.appeal.count({ where: { status: 'OPEN' } })]);
        const expected = (status: string, result: string) =>
          byStatus.filter((row) => row.status === status && (status !== 'OVERTURNED' || (row.result ?? 'PENDING') === result)).reduce((sum, row) => sum + row._count._all, 0);
        const seen = {
          open: metricValue(metrics, 'jalur_appeals', { status: 'open' }) ?? 0,
          upheld: metricValue(metrics, 'jalur_appeals', { status: 'upheld' }) ?? 0,
          overturnedReinstated: metricValue(metrics, 'jalur_appeals', { status: 'overturned', result: 'reinstated' }) ?? 0,
          openByAge: ['under_1d', '1d_to_7d', '7d_to_14d', 'over_14d'].reduce((sum, age) => sum + (metricValue(metrics, 'jalur_appeals_open', { age }) ?? Number.NaN), 0),
        };
        const want = { open: expected('OPEN', ''), upheld: expected('UPHELD', ''), overturnedReinstated: expected('OVERTURNED', 'REINSTATED'), openByAge: open };
        // This file's appeals are in the table: at least one upheld and one open.
        expect(want.upheld + want.open).toBeGreaterThan(0);
        return JSON.stringify(seen) === JSON.stringify(want) ? seen : undefined;
      }, 'the metrics to count the appeals as the table does', 45_000);
    } finally {
      await prisma.$disconnect();
    }
  });
});
