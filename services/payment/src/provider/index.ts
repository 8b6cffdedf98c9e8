export {
  createProviderClient,
  ProviderUnavailableError,
  ProviderContractError,
  DEFAULT_CALL_RETRY,
  DEFAULT_BREAKER,
  type CardProvider,
  type CardTokenDetails,
  type ProviderAuthorization,
  type ProviderAction,
  type AuthorizeRequest,
  type AuthorizeResult,
  type ActionResult,
  type ProviderClientOptions,
} from './provider-client.ts';
export {
  createCircuitBreaker,
  type CircuitBreaker,
  type CircuitBreakerPolicy,
  type CircuitState,
} from './circuit-breaker.ts';
export { tryUntilAnswered, isRetryableStatus, retryDelay, type CallRetryPolicy, type TryOutcome } from './retries.ts';
