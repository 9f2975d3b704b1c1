import type { Logger } from 'pino';

/** Process-wide counts, read by every app's metrics (`aoc_unhandled_errors_total`). */
export const unhandledErrorCounts = { uncaughtException: 0, unhandledRejection: 0 };

export interface ProcessErrorOptions {
  readonly logger: Logger;
  /** Shuts down cleanly and exits non-zero: after an uncaught exception the process state cannot be trusted. */
  readonly onUncaughtException: (error: unknown) => void;
  readonly target?: NodeJS.EventEmitter;
}

/**
 * Nothing is swallowed silently: every uncaught exception and unhandled rejection is logged and counted.
 * A rejection is a bug in one operation and the process carries on; an uncaught exception ends the
 * process after an attempt to shut down cleanly (the restart policy starts a fresh one).
 */
export function installProcessErrorHandlers(options: ProcessErrorOptions): void {
  const target = options.target ?? process;
  target.on('unhandledRejection', (reason: unknown) => {
    unhandledErrorCounts.unhandledRejection += 1;
    options.logger.error({ err: reason, kind: 'unhandledRejection' }, 'unhandled promise rejection');
  });
  target.on('uncaughtException', (error: unknown) => {
    unhandledErrorCounts.uncaughtException += 1;
    options.logger.fatal({ err: error, kind: 'uncaughtException' }, 'uncaught exception; shutting down');
    options.onUncaughtException(error);
  });
}
