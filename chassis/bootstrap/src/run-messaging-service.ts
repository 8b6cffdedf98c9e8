import { z } from 'zod';
import { createTokenVerifier, type TokenVerifier } from '@talad/auth';
import { createTransport, type Transport } from '@talad/messaging';
import { createPool, type Pool } from '@talad/pg';
import { runService, type ServiceApp, type ServiceConfig, type ServiceContext } from '@talad/service';

/** What every service with its own database and a broker reads from its environment. */
const connectionConfig = {
  DATABASE_URL: z.string().min(1),
  BROKER_URL: z.string().min(1),
};

/**
 * What every service with its own database, a broker and bearer-token checks reads from its
 * environment, beside its own variables.
 */
export const messagingServiceConfig = {
  ...connectionConfig,
  JWKS_URL: z.url(),
  ISSUER: z.string().min(1),
  AUDIENCE: z.string().min(1),
};
export type MessagingServiceConfig = ServiceConfig<typeof messagingServiceConfig>;

/** A service process's connections, closed on shutdown in reverse order of opening. */
export interface ServiceConnections {
  readonly pool: Pool;
  readonly transport: Transport;
  readonly verifier: TokenVerifier;
}

interface CommonOptions<Shape extends z.ZodRawShape> {
  name: string;
  /** The service's own variables, beyond the standard ones and the chassis's. */
  config: Shape;
  /** Largest pool for the service's database; the pool's default otherwise. */
  poolSize?: number;
}

export interface RunMessagingServiceOptions<Shape extends z.ZodRawShape> extends CommonOptions<Shape> {
  start(
    context: ServiceContext<ServiceConfig<Shape & typeof messagingServiceConfig>> & ServiceConnections,
  ): Promise<ServiceApp>;
}

export interface RunTokenIssuingServiceOptions<Shape extends z.ZodRawShape> extends CommonOptions<Shape> {
  start(
    context: ServiceContext<ServiceConfig<Shape & typeof connectionConfig>> & Omit<ServiceConnections, 'verifier'>,
  ): Promise<ServiceApp>;
}

/**
 * `runService` for a service with a database, a broker and bearer-token checks: opens the pool, the
 * transport and the token verifier from the standard variables, hands them to `start`, and closes
 * them on shutdown (after the app has drained and its consumers stopped).
 *
 * @example
 * await runMessagingService({
 *   name: 'basket',
 *   config: { CATALOG_URL: z.url() },
 *   start: ({ config, pool, transport, verifier, logger }) =>
 *     buildBasketApp({ pool, transport, verifier, logger, catalogUrl: config.CATALOG_URL }),
 * });
 */
export async function runMessagingService<Shape extends z.ZodRawShape>(
  options: RunMessagingServiceOptions<Shape>,
): Promise<void> {
  await runWithConnections(options, messagingServiceConfig, (context, pool, transport) => {
    const config = context.config as unknown as MessagingServiceConfig;
    const verifier = createTokenVerifier({
      jwksUrl: config.JWKS_URL,
      issuer: config.ISSUER,
      audience: config.AUDIENCE,
    });
    return options.start({ ...context, config: context.config as never, pool, transport, verifier });
  });
}

/**
 * `runMessagingService` for the service that signs the tokens: it checks them against its own keys,
 * so it reads no `JWKS_URL`, `ISSUER` or `AUDIENCE` of the standard variables (its own config says
 * what its issuer and audience are) and gets no verifier.
 */
export async function runTokenIssuingService<Shape extends z.ZodRawShape>(
  options: RunTokenIssuingServiceOptions<Shape>,
): Promise<void> {
  await runWithConnections(options, connectionConfig, (context, pool, transport) =>
    options.start({ ...context, config: context.config as never, pool, transport }),
  );
}

async function runWithConnections(
  options: CommonOptions<z.ZodRawShape>,
  standard: z.ZodRawShape,
  start: (
    context: ServiceContext<ServiceConfig<z.ZodRawShape>>,
    pool: Pool,
    transport: Transport,
  ) => Promise<ServiceApp>,
): Promise<void> {
  await runService({
    name: options.name,
    config: { ...standard, ...options.config },
    async start(context) {
      const { logger, onShutdown } = context;
      // Every such config has the standard variables; TypeScript cannot see them through the generic shape.
      const config = context.config as unknown as ServiceConfig<typeof connectionConfig>;
      const pool = createPool({
        connectionString: config.DATABASE_URL,
        applicationName: options.name,
        ...(options.poolSize ? { max: options.poolSize } : {}),
      });
      onShutdown(() => pool.end());
      const transport = await createTransport(config.BROKER_URL, { logger });
      onShutdown(() => transport.close());
      return start(context, pool, transport);
    },
  });
}
