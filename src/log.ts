/**
 * Structured logging: one JSON object per line on stderr (journald keeps it). Fields are chosen
 * by the caller and must never hold passwords, tokens, phone numbers, names or request bodies;
 * use pseudonymous ids (call id, recording id, channel) instead.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(component: string): Logger;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogSink {
  write(line: string): void;
}

export function createLogger(options: { level?: LogLevel; sink?: LogSink; component?: string } = {}): Logger {
  const minLevel = LEVEL_ORDER[options.level ?? 'info'];
  const sink: LogSink = options.sink ?? { write: (line) => process.stderr.write(line) };
  const make = (component: string | undefined): Logger => {
    const emit = (level: LogLevel, msg: string, fields?: LogFields): void => {
      if (LEVEL_ORDER[level] < minLevel) return;
      const entry: Record<string, unknown> = { time: new Date().toISOString(), level, msg };
      if (component !== undefined) entry.component = component;
      if (fields !== undefined) {
        for (const [key, value] of Object.entries(fields)) if (value !== undefined) entry[key] = value;
      }
      sink.write(JSON.stringify(entry) + '\n');
    };
    return {
      debug: (msg, fields) => emit('debug', msg, fields),
      info: (msg, fields) => emit('info', msg, fields),
      warn: (msg, fields) => emit('warn', msg, fields),
      error: (msg, fields) => emit('error', msg, fields),
      child: (name) => make(component === undefined ? name : `${component}.${name}`),
    };
  };
  return make(options.component);
}

/** A logger that drops everything; for tests that do not look at logs. */
export const silentLogger: Logger = createLogger({ sink: { write: () => undefined } });
