// The Temporal SDK's log lines (the Runtime's: worker lifecycle, activity and workflow loggers)
// through this process's pino logger, so they share its format and LOG_LEVEL. The SDK's
// lifecycle chatter (a state change per worker, "no workflows registered" for each activity-only
// outside-system queue, by design) goes to debug: `npm start` shows what needs reading.
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import type { Logger } from '../lib/logger';

const EXPECTED_WARNINGS = ['No workflows registered, not polling for workflow tasks'];

function pinoLevel(level: LogLevel, message: string, meta: LogMetadata | undefined): 'trace' | 'debug' | 'info' | 'warn' | 'error' {
  if (level === 'TRACE') return 'trace';
  if (level === 'DEBUG') return 'debug';
  if (level === 'WARN') return EXPECTED_WARNINGS.includes(message) ? 'debug' : 'warn';
  if (level === 'ERROR') return 'error';
  // INFO: the worker's own lifecycle is chatter; workflow and activity code's info stays info.
  return meta?.sdkComponent === 'worker' ? 'debug' : 'info';
}

export function temporalSdkLogger(logger: Logger, options: { infoAsDebug?: boolean } = {}): TemporalLogger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const target = options.infoAsDebug && level === 'INFO' ? 'debug' : pinoLevel(level, message, meta);
    logger[target](meta ?? {}, message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}
