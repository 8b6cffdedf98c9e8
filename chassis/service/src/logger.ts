import { pino, type Logger, type LoggerOptions } from 'pino';
import { currentTraceIds } from './tracing.ts';

export type { Logger };

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
    mixin: (_merge, _level, logger) => {
      if ('traceId' in logger.bindings()) return {};
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
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
