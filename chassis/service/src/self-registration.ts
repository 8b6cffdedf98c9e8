import { hostname } from 'node:os';
import { createDiscovery, discoveryConfigFromEnv, type Discovery, type Registration } from '@talad/discovery';
import { z } from 'zod';
import { ConfigError } from './config.ts';
import type { Logger } from './logger.ts';

/** The environment that decides whether and how an instance announces itself. */
const registrationShape = {
  /** `postgres://…` registers the instance there (with heartbeats); `dns://…` leaves it to the platform. */
  DISCOVERY_URL: z
    .string()
    .regex(/^(postgres(ql)?|dns):\/\//, 'expected postgres://… or dns://…')
    .optional(),
  /** The origin others should call, when it is not the bound address (behind NAT, a proxy, a container). */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** An instance whose heartbeats stop is forgotten after this long. */
  DISCOVERY_TTL_SECONDS: z.coerce.number().positive().default(10),
  /**
   * After deregistering on shutdown, how long the instance keeps accepting requests before it closes its
   * listener: long enough for every watcher (the gateway) to hear it left, so none sends it new work
   * that would find the door shut.
   */
  DISCOVERY_LEAVE_DELAY_MS: z.coerce.number().int().min(0).default(250),
};

export type RegistrationSettings = z.infer<z.ZodObject<typeof registrationShape>>;

/** Reads the registration settings; throws a ConfigError naming each bad variable. */
export function registrationSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RegistrationSettings {
  const result = z.object(registrationShape).safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
}

/** A registered instance, as `runService` holds it between listening and shutting down. */
export interface SelfRegistration {
  readonly url: string;
  /** Withdraws the instance (watchers hear at once) and stops its heartbeats. Never throws. */
  deregister(): Promise<void>;
  /** Releases the registry's connections; after `deregister()`. */
  close(): Promise<void>;
}

const DEREGISTER_TIMEOUT_MS = 2_000;

/**
 * Announces a listening instance in the registry DISCOVERY_URL names, with heartbeats until it leaves.
 * Without DISCOVERY_URL, or with a DNS one, there is nothing to announce to and nothing is opened.
 */
export async function registerInstance(options: {
  name: string;
  version: string;
  instanceId: string;
  /** The address the server bound, e.g. `http://127.0.0.1:8101`. */
  boundUrl: string;
  metadata?: Record<string, string>;
  settings: RegistrationSettings;
  logger: Logger;
}): Promise<SelfRegistration | undefined> {
  const { settings, logger } = options;
  if (!settings.DISCOVERY_URL) return undefined;
  const config = discoveryConfigFromEnv([], { DISCOVERY_URL: settings.DISCOVERY_URL });
  // Only the PostgreSQL registry takes registrations; on DNS the platform registers the pod.
  if (config.kind !== 'postgres') return undefined;
  const discovery: Discovery = createDiscovery({
    ...config,
    ttlMs: settings.DISCOVERY_TTL_SECONDS * 1000,
    onError: (error: unknown) => logger.warn({ err: error }, 'service registry'),
  });
  const url = settings.PUBLIC_URL ? new URL(settings.PUBLIC_URL).origin : reachableUrl(options.boundUrl);
  let registration: Registration;
  try {
    registration = await discovery.register({
      name: options.name,
      version: options.version,
      url,
      id: options.instanceId,
      metadata: { host: hostname(), pid: String(process.pid), ...options.metadata },
    });
  } catch (error) {
    await discovery.close().catch(() => undefined);
    throw error;
  }
  logger.info({ registry: discovery.kind, instance: options.instanceId, url }, 'registered');
  return {
    url,
    async deregister() {
      try {
        // A registry that does not answer must not hold the shutdown; the TTL then retires the instance.
        await Promise.race([
          registration.deregister(),
          new Promise((_resolve, reject) =>
            setTimeout(
              () => reject(new Error(`no answer within ${DEREGISTER_TIMEOUT_MS} ms`)),
              DEREGISTER_TIMEOUT_MS,
            ).unref(),
          ),
        ]);
        logger.info({ instance: options.instanceId }, 'deregistered');
      } catch (error) {
        logger.warn({ err: error }, 'could not deregister; the registry forgets the instance when its TTL ends');
      }
    },
    close: () => discovery.close(),
  };
}

/**
 * The origin others can call: a server bound to every interface (`0.0.0.0`, `::`) is reached through
 * the machine's name, not through the wildcard address.
 */
export function reachableUrl(boundUrl: string): string {
  const url = new URL(boundUrl);
  if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = hostname();
  return url.origin;
}
