export { buildCardProviderApp, type CardProviderAppOptions } from './app.ts';
export {
  TEST_CARDS,
  DECLINE_CODES,
  checkCard,
  passesLuhn,
  brandOf,
  behaviourOf,
  nextStatus,
  type DeclineCode,
  type CardBrand,
  type AuthorizationStatus,
} from './card-rules.ts';
export { DEFAULT_FAULTS, type Faults } from './faults.ts';
export { CardProviderErrorCode } from './error-codes.ts';
export { AuthorizationSchema, AuthorizationListSchema, CardTokenSchema, type AuthorizationView } from './schemas.ts';
