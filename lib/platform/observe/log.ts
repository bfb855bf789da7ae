import { pino, type Logger } from 'pino';
import { currentRequest } from './requestScope.js';

/**
 * The services' one logger: JSON lines on stdout (pino), each carrying the service and, inside a request, its request
 * id and trace id, so "why did our check fail at 10:32?" is one search. What reaches a log line is what code puts there:
 * never a document, variables, a response, a person's code or name — only names of things, counts and error codes.
 * The level comes from LOG_LEVEL (lib/platform/config.ts) through `setLogLevel`.
 */
export const log: Logger = pino({
  // until a service applies its configuration; in the test runner only warnings and errors
  level: process.env.NODE_ENV === 'test' ? 'warn' : 'info',
  base: { pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  mixin: () => {
    const request = currentRequest();
    return request ? { requestId: request.requestId, ...(request.traceId ? { traceId: request.traceId } : {}) } : {};
  },
});

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export function setLogLevel(level: LogLevel): void {
  log.level = level;
}

/** The logger of one service (or script): every line names it. */
export function logOf(service: string): Logger {
  return log.child({ service });
}

/** An error as a log field: its class and message, never its stack's data or a driver's detail fields. */
export function describeError(error: unknown): { type: string; message: string } {
  if (error instanceof Error) return { type: error.name, message: error.message };
  return { type: typeof error, message: String(error) };
}
