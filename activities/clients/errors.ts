/**
 * The two ways a call to an outside system fails. Activities call out through
 * `callOutsideSystem` (activities/outside-call.ts), which retries `OutsideSystemUnavailableError`
 * and turns `OutsideSystemRejectedError` into a non-retryable failure. Messages name the system,
 * status and code only: never a NIK, name, address or account.
 */

import type { OutsideSystem } from '../../lib/outside-systems';

/** Mail is the one system spoken to over SMTP; its statuses are SMTP reply codes. */
const statusLabel = (system: OutsideSystem, status: number) => `${system === 'mail' ? 'SMTP' : 'HTTP'} ${status}`;

export type UnavailableReason = 'network' | 'timeout' | 'server-error' | 'rate-limited' | 'invalid-response';

/** The system could not answer now (network, timeout, 5xx, 429, garbled answer): worth retrying. */
export class OutsideSystemUnavailableError extends Error {
  readonly system: OutsideSystem;
  /** HTTP status (SMTP reply code for mail), or null when no answer arrived. */
  readonly status: number | null;
  readonly reason: UnavailableReason;
  /** From Retry-After, when the system said how long to wait. */
  readonly retryAfterMs?: number;

  constructor(details: { system: OutsideSystem; status: number | null; reason: UnavailableReason; retryAfterMs?: number; detail?: string }) {
    const status = details.status === null ? '' : ` (${statusLabel(details.system, details.status)})`;
    const detail = details.detail === undefined ? '' : `: ${details.detail}`;
    super(`${details.system} is unavailable, ${details.reason}${status}${detail}`);
    // Temporal reports a thrown error's name as the failure type, so it must survive minification.
    this.name = 'OutsideSystemUnavailableError';
    this.system = details.system;
    this.status = details.status;
    this.reason = details.reason;
    if (details.retryAfterMs !== undefined) {
      this.retryAfterMs = details.retryAfterMs;
    }
  }
}

/** The system answered with a business refusal (4xx such as ACCOUNT_CLOSED): retrying will not help. */
export class OutsideSystemRejectedError extends Error {
  readonly system: OutsideSystem;
  readonly status: number;
  /** The system's error code, e.g. ACCOUNT_CLOSED; HTTP_<status> (SMTP_<reply code>) when it gave none. */
  readonly code: string;
  /** The request fields the system named as invalid, as paths (`body.account.accountNumber`), never their values. */
  readonly refusedFields: readonly string[];

  constructor(details: { system: OutsideSystem; status: number; code: string; refusedFields?: readonly string[] }) {
    super(`${details.system} rejected the request: ${details.code} (${statusLabel(details.system, details.status)})`);
    this.name = 'OutsideSystemRejectedError';
    this.system = details.system;
    this.status = details.status;
    this.code = details.code;
    this.refusedFields = details.refusedFields ?? [];
  }
}
