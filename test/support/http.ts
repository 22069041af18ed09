// Small HTTP helpers for integration tests: real requests to the running stack.
import { randomInt } from 'node:crypto';
import { readTestStack } from './test-stack';

export const KEYS = { backend: 'dev-backend', programManager: 'dev-program-manager', operator: 'dev-operator' } as const;

export interface HttpAnswer<T = any> {
  status: number;
  body: T;
}

export async function request<T = any>(baseUrl: string, method: string, path: string, options: { body?: unknown; key?: string } = {}): Promise<HttpAnswer<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export const api = <T = any>(method: string, path: string, options?: { body?: unknown; key?: string }) =>
  request<T>(readTestStack().apiUrl, method, path, { key: KEYS.backend, ...options });
export const sim = <T = any>(method: string, path: string, body?: unknown) => request<T>(readTestStack().simulatorsUrl, method, path, { body });

/** Polls until `check` returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A second-long calendar: the whole path runs in seconds. */
export const FAST_CALENDAR = {
  emailVerificationWindow: 'PT60S',
  identityCorrectionWindow: 'PT60S',
  trainingPurchaseDeadline: 'PT60S',
  firstIncentiveDelay: 'PT1S',
  incentiveInterval: 'PT1S',
  surveyInterval: 'PT1S',
  surveyWindow: 'PT60S',
  repaymentPeriod: 'P60D',
};

export async function createOpenWave(overrides: Record<string, unknown> = {}) {
  for (;;) {
    const answer = await api('POST', '/v1/waves', {
      key: KEYS.programManager,
      body: {
        number: randomInt(1_000, 1_000_000),
        opensAt: new Date(Date.now() - 60_000).toISOString(),
        closesAt: new Date(Date.now() + 3_600_000).toISOString(),
        quota: 1000,
        calendar: FAST_CALENDAR,
        ...overrides,
      },
    });
    // Wave numbers are unique and a run creates a few dozen waves: a number drawn here may
    // already be another test's (about one run in 4,000), so draw again. A caller's own number stays.
    if (answer.status === 409 && answer.body?.error?.code === 'WAVE_NUMBER_TAKEN' && overrides.number === undefined) continue;
    if (answer.status !== 201) throw new Error(`wave not created: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body as { id: string; number: number };
  }
}

export interface TestResident {
  nik: string;
  fullName: string;
  dateOfBirth: string;
  gender: 'M' | 'F';
  isStudent: boolean;
  socialAid: string[];
  onLaidOffList: boolean;
  deceased?: boolean;
}

/** NIKs this test file has handed out: two residents created at once never draw the same one. */
const niksHandedOut = new Set<string>();

/**
 * A NIK nobody has. With the birth date fixed only the district and serial are drawn (under a
 * million NIKs), and a run creates 60 or more residents, each NIK registrable once: two of them
 * drew the same NIK in about one run in 450. The registry knows every resident that any test file
 * of the run created before.
 */
async function unusedNik(dateOfBirth: string): Promise<string> {
  const [year, month, day] = dateOfBirth.split('-');
  for (;;) {
    const nik = `3171${String(randomInt(10, 99))}${day}${month}${year!.slice(2)}${String(randomInt(1, 9999)).padStart(4, '0')}`;
    if (niksHandedOut.has(nik)) continue;
    niksHandedOut.add(nik);
    const known = await sim('GET', `/sim/residents/${nik}`);
    if (known.status === 404) return nik;
    if (known.status !== 200) throw new Error(`resident lookup: ${known.status} ${JSON.stringify(known.body)}`);
  }
}

/** A unique resident, registered in the simulated population registry. */
export async function createResident(overrides: Partial<TestResident> = {}): Promise<TestResident> {
  const dateOfBirth = overrides.dateOfBirth ?? '1990-05-17';
  const nik = overrides.nik ?? (await unusedNik(dateOfBirth));
  const resident: TestResident = { nik, fullName: 'Siti Rahayu', dateOfBirth, gender: 'M', isStudent: false, socialAid: [], onLaidOffList: true, ...overrides };
  const answer = await sim('POST', '/sim/residents', resident);
  if (answer.status !== 201) throw new Error(`resident not created: ${answer.status} ${JSON.stringify(answer.body)}`);
  return resident;
}

export function registrationFor(resident: TestResident, overrides: Record<string, unknown> = {}) {
  return {
    nik: resident.nik,
    fullName: resident.fullName,
    dateOfBirth: resident.dateOfBirth,
    email: `p${resident.nik.slice(-8)}-${randomInt(1e6)}@example.id`,
    phone: '+6281234567890',
    province: 'DKI Jakarta',
    employmentStatus: 'LAID_OFF',
    ...overrides,
  };
}

export async function participant(participantId: string) {
  return api('GET', `/v1/participants/${participantId}`, { key: KEYS.operator });
}

export async function waitForStage(participantId: string, stage: string, timeoutMs = 60_000) {
  return eventually(async () => {
    const answer = await participant(participantId);
    return answer.body?.stage === stage ? answer.body : undefined;
  }, `participant ${participantId} to reach ${stage}`, timeoutMs);
}

export async function verificationToken(email: string): Promise<string> {
  return eventually(async () => {
    const mail = await sim<Array<{ token: string | null }>>('GET', `/sim/mail?to=${encodeURIComponent(email)}`);
    return mail.body.at(-1)?.token ?? undefined;
  }, 'the verification mail');
}
