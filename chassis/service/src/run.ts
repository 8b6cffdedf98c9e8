import type { z } from 'zod';
import type { ServiceApp } from './app.ts';
import { ConfigError, loadConfig, type ServiceConfig } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { setupTracing } from './tracing.ts';

export interface ServiceContext<Config> {
  config: Config;
  logger: Logger;
  /** Registers cleanup run on shutdown after the HTTP server has drained, in reverse order. */
  onShutdown: (cleanup: () => Promise<void> | void) => void;
}

export interface RunServiceOptions<Shape extends z.ZodRawShape> {
  name: string;
  /** The service's own environment variables, beyond PORT, HOST, LOG_LEVEL and the tracing ones. */
  config: Shape;
  /** Wires the service's dependencies and returns its app, not yet listening. */
  start(context: ServiceContext<ServiceConfig<Shape>>): Promise<ServiceApp>;
}

/** Exit code for a configuration error (sysexits EX_CONFIG), so supervisors can tell it from a crash. */
export const EXIT_CONFIG_ERROR = 78;

/**
 * Runs a service process: validates its configuration (exiting with a message naming each bad
 * variable), sets up tracing and logs, builds the app, listens, and on SIGTERM or SIGINT drains:
 * readiness turns false, the listener closes after in-flight requests finish, cleanups run, exit 0.
 *
 * @example
 * await runService({
 *   name: 'catalog',
 *   config: { DATABASE_URL: z.string() },
 *   async start({ config, onShutdown }) {
 *     const pool = createPool({ connectionString: config.DATABASE_URL, applicationName: 'catalog' });
 *     onShutdown(() => pool.end());
 *     return buildCatalogApp({ pool });
 *   },
 * });
 */
export async function runService<Shape extends z.ZodRawShape>(options: RunServiceOptions<Shape>): Promise<void> {
  let config: ServiceConfig<Shape>;
  try {
    config = loadConfig(options.config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${options.name}: ${error.message}\n`);
    process.exit(EXIT_CONFIG_ERROR);
  }
  const tracing = setupTracing({
    serviceName: options.name,
    serviceVersion: config.SERVICE_VERSION,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  const logger = createLogger({ service: options.name, instance: config.SERVICE_INSTANCE_ID, level: config.LOG_LEVEL });
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception; exiting');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection; exiting');
    process.exit(1);
  });

  const cleanups: Array<() => Promise<void> | void> = [];
  let app: ServiceApp;
  try {
    app = await options.start({ config, logger, onShutdown: (cleanup) => cleanups.push(cleanup) });
  } catch (error) {
    // Settings that only make sense together are checked while wiring; they are still configuration.
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${options.name}: ${error.message}\n`);
    process.exit(EXIT_CONFIG_ERROR);
  }

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    app.health.draining = true;
    const forced = setTimeout(() => {
      logger.error('in-flight work did not finish in time; exiting anyway');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_SECONDS * 1000);
    forced.unref();
    // Sockets that turn idle during the drain are closed at once rather than at their keep-alive timeout.
    const closeIdle = setInterval(() => app.server.closeIdleConnections(), 100);
    try {
      await app.close();
      clearInterval(closeIdle);
      for (const cleanup of cleanups.reverse()) await cleanup();
      await tracing.shutdown();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  const address = await app.listen({ port: config.PORT, host: config.HOST });
  logger.info({ address, version: config.SERVICE_VERSION }, `${options.name} listening`);
}
