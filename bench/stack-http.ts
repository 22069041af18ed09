// Driving a running stack over HTTP as its clients do: residents in the simulated registry,
// registrations, email verification, waves. Shared by the journey benchmarks and the tests
// (test/support binds these calls to the test stack).
import { randomInt } from 'node:crypto';

export interface StackUrls {
  apiUrl: string;
  simulatorsUrl: string;
}

/** The development keys; `reviewer` is a second program manager (publishing takes two). */
export const KEYS = { backend: 'dev-backend', programManager: 'dev-program-manager', reviewer: 'dev-reviewer', operator: 'dev-operator' } as const;

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

/** A call to the API, as the backend unless `options.key` says otherwise. */
export const apiRequest = <T = any>(stack: StackUrls, method: string, path: string, options?: { body?: unknown; key?: string }) =>
  request<T>(stack.apiUrl, method, path, { key: KEYS.backend, ...options });
export const simulatorsRequest = <T = any>(stack: StackUrls, method: string, path: string, body?: unknown) => request<T>(stack.simulatorsUrl, method, path, { body });

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

export async function createOpenWave(stack: StackUrls, overrides: Record<string, unknown> = {}) {
  for (;;) {
    const answer = await apiRequest(stack, 'POST', '/v1/waves', {
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

/** NIKs this process has handed out: two residents created at once never draw the same one. */
const niksHandedOut = new Set<string>();

/**
 * A NIK nobody has. With the birth date fixed only the district and serial are drawn (under a
 * million NIKs), and a run creates 60 or more residents, each NIK registrable once: two of them
 * drew the same NIK in about one run in 450. The registry knows every resident that any test file
 * of the run created before.
 */
async function unusedNik(stack: StackUrls, dateOfBirth: string): Promise<string> {
  const [year, month, day] = dateOfBirth.split('-');
  for (;;) {
    const nik = `3171${String(randomInt(10, 99))}${day}${month}${year!.slice(2)}${String(randomInt(1, 9999)).padStart(4, '0')}`;
    if (niksHandedOut.has(nik)) continue;
    niksHandedOut.add(nik);
    const known = await simulatorsRequest(stack, 'GET', `/sim/residents/${nik}`);
    if (known.status === 404) return nik;
    if (known.status !== 200) throw new Error(`resident lookup: ${known.status} ${JSON.stringify(known.body)}`);
  }
}

/** A unique resident, registered in the simulated population registry. */
export async function createResident(stack: StackUrls, overrides: Partial<TestResident> = {}): Promise<TestResident> {
  const dateOfBirth = overrides.dateOfBirth ?? '1990-05-17';
  const nik = overrides.nik ?? (await unusedNik(stack, dateOfBirth));
  const resident: TestResident = { nik, fullName: 'Siti Rahayu', dateOfBirth, gender: 'M', isStudent: false, socialAid: [], onLaidOffList: true, ...overrides };
  const answer = await simulatorsRequest(stack, 'POST', '/sim/residents', resident);
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

export async function participant(stack: StackUrls, participantId: string) {
  return apiRequest(stack, 'GET', `/v1/participants/${participantId}`, { key: KEYS.operator });
}

async function verificationToken(stack: StackUrls, email: string): Promise<string> {
  return eventually(async () => {
    const mail = await simulatorsRequest<Array<{ token: string | null }>>(stack, 'GET', `/sim/mail?to=${encodeURIComponent(email)}`);
    // The newest code: notices to the same address come after it, without one.
    return mail.body.filter((message) => message.token !== null).at(-1)?.token ?? undefined;
  }, 'the verification mail');
}

export interface RegisteredParticipant {
  participantId: string;
  resident: TestResident;
  registration: ReturnType<typeof registrationFor>;
}

/** Registers a new resident. */
export async function register(stack: StackUrls, residentOverrides: Partial<TestResident> = {}, registrationOverrides: Record<string, unknown> = {}): Promise<RegisteredParticipant> {
  const resident = await createResident(stack, residentOverrides);
  const registration = registrationFor(resident, registrationOverrides);
  const answer = await apiRequest(stack, 'POST', '/v1/registrations', { body: registration });
  if (answer.status !== 202) throw new Error(`registration refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { participantId: answer.body.participantId as string, resident, registration };
}

export async function verifyEmail(stack: StackUrls, { participantId, registration }: RegisteredParticipant): Promise<void> {
  const token = await verificationToken(stack, registration.email);
  await eventually(async () => {
    const attempt = await apiRequest(stack, 'POST', `/v1/participants/${participantId}/email-verification`, { body: { token } });
    return attempt.status === 200 ? attempt : undefined;
  }, 'email verification to be accepted');
}

export const PAYOUT_ACCOUNT = { type: 'EWALLET', provider: 'GoPay', accountNumber: '081234567890', accountName: 'Siti Rahayu' } as const;
