/**
 * Mail out over SMTP, its failures sorted into the two outside-system errors like an HTTP call's:
 * a reply the server calls permanent is a refusal, a transient reply or a lost connection is an
 * outage. Only reply codes are kept: a server's reply text can quote the recipient's address.
 */
import type { SendMailOptions, Transporter } from 'nodemailer';
import { OutsideSystemRejectedError, OutsideSystemUnavailableError } from './errors';

/** nodemailer's codes for a connection that failed or fell silent: nothing was refused. */
const CONNECTION_FAILURE_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS']);

function mailFailure(err: unknown): unknown {
  if (typeof err !== 'object' || err === null) return err;
  if ('responseCode' in err && typeof err.responseCode === 'number') {
    // nodemailer sets `permanent` from the reply class: 5yz but 503.
    if ('permanent' in err && err.permanent === true) {
      return new OutsideSystemRejectedError({ system: 'mail', status: err.responseCode, code: `SMTP_${err.responseCode}` });
    }
    return new OutsideSystemUnavailableError({ system: 'mail', status: err.responseCode, reason: 'server-error' });
  }
  if ('code' in err && typeof err.code === 'string' && CONNECTION_FAILURE_CODES.has(err.code)) {
    return new OutsideSystemUnavailableError({ system: 'mail', status: null, reason: err.code === 'ETIMEDOUT' ? 'timeout' : 'network', detail: err.code });
  }
  return err;
}

export async function sendMail(transporter: Transporter, message: SendMailOptions): Promise<void> {
  try {
    await transporter.sendMail(message);
  } catch (err) {
    throw mailFailure(err);
  }
}
