import { z } from 'zod';

/** Settings every service reads from its environment, whatever it does. */
export const baseConfigShape = {
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SERVICE_INSTANCE_ID: z.string().min(1).optional(),
  SERVICE_VERSION: z.string().min(1).default('0.1.0'),
  /** Seconds to wait for in-flight requests on shutdown before closing anyway. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().positive().default(10),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
};

export type BaseConfig = z.infer<z.ZodObject<typeof baseConfigShape>>;

/** A service's whole configuration: the base settings plus its own. */
export type ServiceConfig<Shape extends z.ZodRawShape> = BaseConfig & z.infer<z.ZodObject<Shape>>;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const SECRET_NAME = /PASSWORD|SECRET|TOKEN|KEY|DATABASE_URL|_URL$/;

/**
 * Reads and validates a service's configuration from the environment, at start, all at once:
 * every bad or missing variable is named in one error rather than discovered on first use.
 *
 * @example
 * const config = loadConfig({ DATABASE_URL: z.string().url() });
 * config.DATABASE_URL; // typed string
 */
export function loadConfig<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: NodeJS.ProcessEnv = process.env,
): ServiceConfig<Shape> {
  const schema = z.object({ ...baseConfigShape, ...shape });
  const result = schema.safeParse(env);
  if (result.success) return result.data as ServiceConfig<Shape>;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const value = env[name];
    const shown =
      value === undefined
        ? 'it is not set'
        : SECRET_NAME.test(name)
          ? 'got a value that is not shown'
          : `got ${JSON.stringify(value)}`;
    return `${name}: ${issue.message} (${shown})`;
  });
  throw new ConfigError(problems);
}
