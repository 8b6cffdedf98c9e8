/**
 * The little the transport logs through: a pino logger fits as it is. Reconnections, failed
 * handlers and dead-lettered messages are worth a line; each message handled is not.
 */
export interface TransportLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const silentLogger: TransportLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
