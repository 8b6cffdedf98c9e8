import { z } from 'zod';
import { EmailSchema } from '@talad/contracts-identity';
import type { ServiceConfig } from '@talad/service';

/** The identity service's environment, beyond the chassis's PORT, HOST, LOG_LEVEL and tracing. */
export const identityConfig = {
  DATABASE_URL: z.string().min(1),
  /** The issuer as the outside world sees it, through the gateway: `http://localhost:8080/api/identity`. */
  ISSUER: z.url().transform((url) => url.replace(/\/+$/, '')),
  AUDIENCE: z.string().min(1).default('talad'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  KEY_ROTATION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Both or neither: the admin account made on the first start. There is no default password. */
  ADMIN_EMAIL: EmailSchema.optional(),
  ADMIN_PASSWORD: z.string().min(1).optional(),
  /** The `talad-admin` machine client's secret; unset, the client does not exist. */
  ADMIN_CLIENT_SECRET: z.string().min(24).optional(),
  /** The `notification` machine client's secret (reads customers' contacts); unset, the client does not exist. */
  NOTIFICATION_CLIENT_SECRET: z.string().min(24).optional(),
  /** Seals the private signing keys in the database; unset, they are stored plain (with a warning). */
  SIGNING_KEY_SECRET: z.string().min(32).optional(),
  /** Peers whose X-Forwarded-For is believed: `loopback`, addresses, CIDR ranges. Empty trusts none. */
  TRUSTED_PROXIES: z.string().default(''),
};

/** What the app needs of the configuration (tests build it directly). */
export interface IdentitySettings {
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  keyRotationDays: number;
  signingKeySecret?: string | undefined;
  trustedProxies?: string;
}

export type IdentityConfig = ServiceConfig<typeof identityConfig>;

/** The app's settings from the validated environment. */
export function settingsFrom(config: IdentityConfig): IdentitySettings {
  return {
    issuer: config.ISSUER,
    audience: config.AUDIENCE,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    keyRotationDays: config.KEY_ROTATION_DAYS,
    signingKeySecret: config.SIGNING_KEY_SECRET,
    trustedProxies: config.TRUSTED_PROXIES,
  };
}
