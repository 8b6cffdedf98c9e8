export { createPasswordHasher, DEFAULT_SCRYPT, type PasswordHasher, type ScryptParameters } from './password-hasher.ts';
export { passwordProblems } from './password-policy.ts';
