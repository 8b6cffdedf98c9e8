export {
  registerClients,
  authenticateClient,
  type ClientRegistration,
  type RegisteredClient,
} from './client-registry.ts';
export { MACHINE_CLIENTS, configuredClients, type ClientSecrets } from './machine-clients.ts';
