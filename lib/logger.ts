// Structured logs (pino). Human-readable when LOG_FORMAT=pretty (as `npm start` sets), JSON
// otherwise. Never log personal data: participant ids and request ids only.
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  const options = {
    name,
    level,
    // Defence in depth: these keys never reach a log line even if someone passes them.
    redact: { paths: ['nik', 'fullName', 'email', 'phone', 'dateOfBirth', 'accountNumber', '*.nik', '*.fullName', '*.email', '*.phone', '*.accountNumber', 'req.headers.authorization'], censor: '[redacted]' },
  };
  if (process.env.LOG_FORMAT === 'pretty') {
    return pino(options, pretty({ sync: true, colorize: true, singleLine: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l' }));
  }
  return pino(options);
}
