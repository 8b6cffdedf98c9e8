import type { Registration } from './discovery.ts';
import type { InstanceRegistration } from './instance.ts';

/**
 * The registration of a registry that does not take registrations: the platform (DNS) or the
 * configuration (static lists) says where instances are, so there is nothing to announce or withdraw.
 */
export function platformRegistered(registration: InstanceRegistration): Registration {
  return {
    instance: {
      id: registration.id ?? registration.url,
      name: registration.name,
      version: registration.version,
      url: registration.url,
      metadata: registration.metadata ?? {},
    },
    deregister: async () => undefined,
  };
}
