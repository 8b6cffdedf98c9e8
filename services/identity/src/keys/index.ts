export {
  createSigningKeyStore,
  SIGNING_ALGORITHM,
  DEFAULT_PUBLISH_LEAD_MS,
  type SigningKey,
  type SigningKeyStore,
  type SigningKeyStoreOptions,
} from './signing-key-store.ts';
export { createKeyEncryption, type KeyEncryption, type StoredPrivateKey } from './key-encryption.ts';
