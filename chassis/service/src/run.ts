import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import type { ServiceApp } from './app.ts';
import { ConfigError, loadConfig, type ServiceConfig } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import {
  registerInstance,
  registrationSettingsFromEnv,
  type RegistrationSettings,
  type SelfRegistration,
} from './self-registration.ts';
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
  /** Published with the instance in the service registry, beside its host and pid. */
  metadata?: Record<string, string>;
}

/** Response header naming the instance that answered, so a client (or a test) can tell instances apart. */
export const SERVED_BY_HEADER = 'x-served-by';

/** Exit code for a configuration error (sysexits EX_CONFIG), so supervisors can tell it from a crash. */
export const EXIT_CONFIG_ERROR = 78;

/**
 * Runs a service process: validates its configuration (exiting with a message naming each bad
 * variable), sets up tracing and logs, builds the app, listens, and registers the instance in the
 * service registry when DISCOVERY_URL names one (heartbeats keep it there). On SIGTERM or SIGINT it
 * first deregisters, so callers stop choosing it, then drains: readiness turns false, and after
 * DISCOVERY_LEAVE_DELAY_MS (time for watchers to hear it left) the listener closes once in-flight
 * requests finish, cleanups run, exit 0. Every answer names the instance in `x-served-by`.
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
  let registrationSettings: RegistrationSettings;
  try {
    config = loadConfig(options.config);
    registrationSettings = registrationSettingsFromEnv();
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
  // Set before the route runs, so a proxy built on the chassis relays its upstream's value instead.
  const instanceId = config.SERVICE_INSTANCE_ID ?? `${options.name}-${randomUUID().slice(0, 8)}`;
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header(SERVED_BY_HEADER, instanceId);
    done();
  });

  let registering: Promise<SelfRegistration | undefined> = Promise.resolve(undefined);
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const forced = setTimeout(() => {
      logger.error('in-flight work did not finish in time; exiting anyway');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_SECONDS * 1000);
    forced.unref();
    // Out of the registry before anything else, so callers stop choosing this instance while it still
    // answers; new work that was already on its way is served during the leave delay.
    const registration = await registering.catch(() => undefined);
    await registration?.deregister();
    app.health.draining = true;
    if (registration) await sleep(registrationSettings.DISCOVERY_LEAVE_DELAY_MS);
    // Sockets that turn idle during the drain are closed at once rather than at their keep-alive timeout.
    const closeIdle = setInterval(() => app.server.closeIdleConnections(), 100);
    try {
      await app.close();
      clearInterval(closeIdle);
      for (const cleanup of cleanups.reverse()) await cleanup();
      await registration?.close();
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
  registering = registerInstance({
    name: options.name,
    version: config.SERVICE_VERSION,
    instanceId,
    boundUrl: address,
    ...(options.metadata ? { metadata: options.metadata } : {}),
    settings: registrationSettings,
    logger,
  });
  try {
    await registering;
  } catch (error) {
    // An instance nobody can find is no use; exiting lets the supervisor retry with back-off.
    logger.fatal({ err: error }, 'could not register in the service registry; exiting');
    process.exit(1);
  }
}
