/**
 * The little logging a broker adapter does (reconnections, failed handlers, dead-lettered messages; never
 * a line per message handled). A pino logger, such as `@talad/service`'s, fits as it is.
 */
export interface TransportLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

const ignore = (): void => undefined;

/** The default: the adapter still works and reports through rejections, it just tells no one else. */
export const silentTransportLogger: TransportLogger = { info: ignore, warn: ignore, error: ignore };
