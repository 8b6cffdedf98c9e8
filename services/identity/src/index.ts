export { buildIdentityApp, type IdentityAppOptions } from './app.ts';
export { identityConfig, settingsFrom, type IdentitySettings, type IdentityConfig } from './config.ts';
export { prepareIdentity, type PrepareOptions } from './prepare.ts';
export { migrationsDirectory } from './migrations.ts';
export { IdentityErrorCode } from './error-codes.ts';
export { verifyCustomer, type CustomerVerification } from './accounts/index.ts';
export { MACHINE_CLIENTS } from './clients/index.ts';
