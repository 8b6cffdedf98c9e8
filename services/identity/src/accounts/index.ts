export { createAccountRepository, toProfile, type Account, type AccountRepository } from './account-repository.ts';
export {
  createSignInThrottle,
  DEFAULT_THROTTLE,
  type SignInThrottle,
  type ThrottlePolicy,
} from './sign-in-throttle.ts';
export { signUp } from './sign-up.ts';
export { signIn } from './sign-in.ts';
export { ensureAdmin } from './ensure-admin.ts';
export { verifyCustomer, type CustomerVerification } from './verify-customer.ts';
export { subscribeVerifyCustomer } from './verify-customer-handler.ts';
export { registerAccountRoutes, type AccountRouteParts } from './routes.ts';
