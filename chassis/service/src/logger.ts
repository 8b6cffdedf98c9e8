import { pino, type Logger, type LoggerOptions } from 'pino';
import { currentTraceIds } from './tracing.ts';

export type { Logger };

const CARRIES_TRACE_IDS = Symbol('carries trace ids');

/**
 * A child logger whose lines carry these trace and span ids (instead of the active span's), with any
 * other bindings in the same child.
 */
export function withTraceIds<L extends { child(bindings: Record<string, unknown>, options?: object): L }>(
  logger: L,
  ids: { traceId: string; spanId: string },
  bindings: Record<string, unknown> = {},
  options?: object,
): L {
  const child = logger.child({ ...bindings, traceId: ids.traceId, spanId: ids.spanId }, options);
  // pino children inherit from their parent (Object.create), so the children of this one carry the flag too.
  (child as unknown as { [CARRIES_TRACE_IDS]?: true })[CARRIES_TRACE_IDS] = true;
  return child;
}

/**
 * JSON logs, one line per event, each carrying the service, the instance and the active trace and
 * span ids, so a line can be joined to its trace. Credentials are redacted wherever they appear.
 */
export function createLogger(options: {
  service: string;
  instance?: string | undefined;
  level?: string;
  destination?: pino.DestinationStream;
}): Logger {
  const settings: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service, ...(options.instance ? { instance: options.instance } : {}) },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    messageKey: 'msg',
    // Request loggers already carry their span's ids as bindings; every other line gets the active span's.
    // (A flag on the logger, because `logger.bindings()` parses the bindings on every line.)
    mixin: (_merge, _level, logger) => {
      if ((logger as { [CARRIES_TRACE_IDS]?: true })[CARRIES_TRACE_IDS]) return {};
      const ids = currentTraceIds();
      return ids ? { traceId: ids.traceId, spanId: ids.spanId } : {};
    },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.token',
        '*.accessToken',
        '*.refreshToken',
      ],
      censor: '[redacted]',
    },
  };
  // Asynchronous writes to stdout: lines that arrive while one write is in flight go out together in the
  // next, instead of one system call per line on a busy server. pino flushes what is pending on exit.
  return pino(settings, options.destination ?? pino.destination({ dest: 1, sync: false }));
}
