/** The logging this adapter does; a pino logger fits as it is. */
export interface TransportLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

const ignore = (): void => undefined;

/** The default: the adapter still works and reports through rejections, it just tells no one else. */
export const silentLogger: TransportLogger = { info: ignore, warn: ignore, error: ignore };
