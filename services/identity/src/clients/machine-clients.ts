import type { ClientRegistration } from './client-registry.ts';

/**
 * Every machine client of Talad on one page: who it is, what it may do, and which environment
 * variable holds its secret. A client whose variable is unset is not registered (and is removed if it was).
 */
export const MACHINE_CLIENTS = [
  {
    id: 'talad-admin',
    secretVariable: 'ADMIN_CLIENT_SECRET',
    // The talad command's admin work: editing the catalogue, setting stock levels and shipping rates,
    // replaying dead letters, and reading what the invariant checker compares across services.
    scopes: [
      'catalog:write',
      'inventory:write',
      'shipping:write',
      'messaging:admin',
      'inventory:read',
      'payment:read',
      'ordering:read',
    ],
  },
  {
    id: 'notification',
    secretVariable: 'NOTIFICATION_CLIENT_SECRET',
    // Reads a customer's email and name to mail them about their orders.
    scopes: ['customers:read'],
  },
] as const;

export type ClientSecrets = Partial<Record<(typeof MACHINE_CLIENTS)[number]['secretVariable'], string>>;

/** The machine clients that have a secret configured. */
export function configuredClients(secrets: ClientSecrets): ClientRegistration[] {
  return MACHINE_CLIENTS.flatMap((client) => {
    const secret = secrets[client.secretVariable];
    return secret ? [{ id: client.id, secret, scopes: client.scopes }] : [];
  });
}
