/**
 * Structured JSON logs (pino), one line each, on stderr. Callers pass context
 * fields (room, conn) and a message. Never pass tokens or request URLs in; the
 * usual credential fields are redacted anyway.
 */
import { pino } from 'pino';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(fields: Record<string, unknown>, msg: string): void;
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

const REDACT = ['token', '*.token', 'authorization', '*.authorization', 'cookie', '*.cookie', 'headers.cookie'];

export function createLogger(level: Level | 'silent' = 'info', write?: (line: string) => void): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT, censor: '[redacted]' },
    },
    write ? { write } : pino.destination({ fd: 2, sync: true }),
  );
}
