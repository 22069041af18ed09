/**
 * Signs and verifies training-platform webhooks: the simulated platforms sign and the API
 * verifies with this one definition of the scheme:
 *   X-Jalur-Timestamp: <unix seconds>
 *   X-Jalur-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + rawBody)>
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_TIMESTAMP_HEADER = 'X-Jalur-Timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'X-Jalur-Signature';

/** How far a webhook's timestamp may be from the receiver's clock; bounds replay of captured requests. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

const SIGNATURE_PATTERN = /^sha256=([0-9a-f]{64})$/;
const TIMESTAMP_PATTERN = /^\d{1,12}$/;

function hmacHex(secret: string, timestamp: string, rawBody: string | Buffer): string {
  return createHmac('sha256', secret)
    .update(`${timestamp}.`)
    .update(rawBody)
    .digest('hex');
}

/** Returns the value of the X-Jalur-Signature header for this timestamp and exact body bytes. */
export function signWebhook(secret: string, timestamp: number | string, rawBody: string | Buffer): string {
  return `sha256=${hmacHex(secret, String(timestamp), rawBody)}`;
}

export type WebhookVerification =
  | { valid: true; timestamp: number }
  | { valid: false; reason: 'MISSING_HEADERS' | 'MALFORMED_HEADERS' | 'STALE_TIMESTAMP' | 'BAD_SIGNATURE' };

export interface WebhookToVerify {
  secret: string;
  /** The X-Jalur-Timestamp header as received. */
  timestamp: string | undefined;
  /** The X-Jalur-Signature header as received. */
  signature: string | undefined;
  /** The body exactly as received: re-serialised JSON would not match the signature. */
  rawBody: string | Buffer;
  nowSeconds: number;
  toleranceSeconds?: number;
}

export function verifyWebhookSignature(webhook: WebhookToVerify): WebhookVerification {
  const { secret, timestamp, signature, rawBody, nowSeconds } = webhook;
  const toleranceSeconds = webhook.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  if (timestamp === undefined || signature === undefined) {
    return { valid: false, reason: 'MISSING_HEADERS' };
  }
  const signatureMatch = SIGNATURE_PATTERN.exec(signature);
  if (!TIMESTAMP_PATTERN.test(timestamp) || signatureMatch === null) {
    return { valid: false, reason: 'MALFORMED_HEADERS' };
  }
  const timestampSeconds = Number(timestamp);
  if (Math.abs(nowSeconds - timestampSeconds) > toleranceSeconds) {
    return { valid: false, reason: 'STALE_TIMESTAMP' };
  }
  const expected = Buffer.from(hmacHex(secret, timestamp, rawBody), 'hex');
  const received = Buffer.from(signatureMatch[1] ?? '', 'hex');
  // Both are 32 bytes (the pattern fixes the hex length), as timingSafeEqual requires.
  if (!timingSafeEqual(expected, received)) {
    return { valid: false, reason: 'BAD_SIGNATURE' };
  }
  return { valid: true, timestamp: timestampSeconds };
}
