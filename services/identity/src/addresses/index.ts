export { createAddressRepository, type AddressRepository, type CreateOutcome } from './address-repository.ts';
export { registerAddressRoutes } from './routes.ts';
