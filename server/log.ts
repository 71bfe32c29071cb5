/** Structured JSON logs, one line each, on stderr. Never pass tokens in. */
export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

export function createLogger(level: Level | 'silent' = 'info', write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const min = level === 'silent' ? Infinity : ORDER[level];
  const at = (lvl: Level) => (fields: Record<string, unknown>, msg: string) => {
    if (ORDER[lvl] < min) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields }) + '\n');
  };
  return { info: at('info'), warn: at('warn'), error: at('error') };
}
