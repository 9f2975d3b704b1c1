import { type Logger, type LoggerOptions, pino } from 'pino';
import type { AppConfig } from '../config/env.config.js';

/**
 * Fields that must never reach a log line whatever an error or a caller attaches: credentials, tokens,
 * cookies and graphql-ws connection parameters (they carry the dashboard's token).
 */
export const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.authorization',
  '*.Authorization',
  'connectionParams',
  '*.connectionParams',
  'token',
  '*.token',
  'password',
  '*.password',
];

export function loggerOptions(level: AppConfig['LOG_LEVEL']): LoggerOptions {
  return {
    level,
    // One JSON object per line on stdout, with a readable level and an ISO time, as log collectors expect.
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
}

/**
 * Writes to stdout synchronously: lines stay in order and nothing is lost when the process exits right after
 * logging (a fatal error, the end of a shutdown). The server logs events, not every request, so the cost is small.
 */
export function createLogger(
  level: AppConfig['LOG_LEVEL'],
  destination: pino.DestinationStream = pino.destination({ dest: 1, sync: true }),
): Logger {
  return pino(loggerOptions(level), destination);
}
