/**
 * The identity service's published contract: its HTTP API (accounts, tokens, addresses, discovery,
 * admin) and the `VerifyCustomer` command of the checkout saga with its replies.
 *
 * The HTTP schemas validate requests and responses at the edge and generate the OpenAPI document.
 * Token endpoint fields follow OAuth 2.0 (RFC 6749), so they are snake_case; the rest is camelCase.
 */
export {
  EmailSchema,
  PasswordSchema,
  RoleSchema,
  SignUpRequestSchema,
  SignInRequestSchema,
  SignOutRequestSchema,
  ProfileSchema,
  MIN_PASSWORD_LENGTH,
  MAX_PASSWORD_LENGTH,
  type Role,
  type SignUpRequest,
  type SignInRequest,
  type SignOutRequest,
  type Profile,
} from './accounts.ts';
export {
  TokenResponseSchema,
  OAuthErrorSchema,
  OAuthErrorCodeSchema,
  TokenRequestSchema,
  RefreshTokenGrantSchema,
  ClientCredentialsGrantSchema,
  GrantTypeSchema,
  GRANT_TYPES,
  OAUTH_ERRORS,
  type TokenResponse,
  type OAuthError,
  type OAuthErrorCode,
  type TokenRequest,
  type GrantType,
} from './tokens.ts';
export {
  AddressInputSchema,
  AddressSchema,
  AddressListSchema,
  AddressIdParamsSchema,
  MAX_ADDRESSES,
  type AddressInput,
  type Address,
  type AddressList,
  type AddressIdParams,
} from './addresses.ts';
export {
  JwksSchema,
  PublicJwkSchema,
  OpenIdConfigurationSchema,
  type Jwks,
  type OpenIdConfiguration,
} from './discovery.ts';
export {
  ListCustomersQuerySchema,
  CustomerSummarySchema,
  CustomerListSchema,
  CustomerIdParamsSchema,
  KeyRotationSchema,
  type ListCustomersQuery,
  type CustomerSummary,
  type CustomerList,
  type KeyRotation,
} from './admin.ts';
export {
  VERIFY_CUSTOMER,
  CUSTOMER_VERIFIED,
  CUSTOMER_VERIFICATION_FAILED,
  VerifyCustomerSchema,
  CustomerVerifiedSchema,
  CustomerVerificationFailedSchema,
  CustomerRejectionReasonSchema,
  VerifyCustomer,
  CustomerVerified,
  CustomerVerificationFailed,
  type CustomerRejectionReason,
} from './verify-customer.ts';
