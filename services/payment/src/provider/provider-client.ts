import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { systemClock, type Clock } from '@talad/core';
import { injectTraceHeaders, type Logger } from '@talad/service';
import { createCircuitBreaker, type CircuitBreaker, type CircuitBreakerPolicy } from './circuit-breaker.ts';
import { isRetryableStatus, tryUntilAnswered, type CallRetryPolicy, type TryOutcome } from './retries.ts';

/**
 * The provider could not be reached, did not answer within the deadline, failed (5xx), or the circuit
 * to it is open. Says nothing about what it did: the caller retries with the same idempotency key,
 * and must never read this as a decline.
 */
export class ProviderUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProviderUnavailableError';
  }
}

/** The provider answered something its API does not allow here: a bug on one side, not a business answer. */
export class ProviderContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderContractError';
  }
}

const ProviderAuthorizationSchema = z.object({
  id: z.string(),
  status: z.enum(['authorized', 'declined', 'captured', 'voided', 'refunded']),
  declineCode: z.string().optional(),
  brand: z.string(),
  last4: z.string(),
  amount: z.int(),
  currency: z.string(),
  reference: z.string(),
});
export type ProviderAuthorization = z.infer<typeof ProviderAuthorizationSchema>;

const CardTokenSchema = z.object({ brand: z.string(), last4: z.string().regex(/^\d{4}$/) });
export type CardTokenDetails = z.infer<typeof CardTokenSchema>;

export type AuthorizeResult =
  | { kind: 'answered'; authorization: ProviderAuthorization }
  /** The provider issued no such token: a business answer (the card cannot be charged). */
  | { kind: 'unknown-token' };

export type ProviderAction = 'capture' | 'void' | 'refund';

export type ActionResult =
  | { kind: 'done'; authorization: ProviderAuthorization }
  /** The authorization's status does not allow the action (e.g. a void after capture). */
  | { kind: 'refused'; authorizationStatus: string };

export interface AuthorizeRequest {
  token: string;
  amount: number;
  currency: string;
  /** Our reference at the provider: the order id, so the order's authorizations can be listed. */
  reference: string;
}

/** The card processor as the payment service uses it. Every unsafe call carries the caller's idempotency key. */
export interface CardProvider {
  /** The card behind a token, or null when the provider issued no such token. */
  cardToken(token: string): Promise<CardTokenDetails | null>;
  authorize(request: AuthorizeRequest, idempotencyKey: string): Promise<AuthorizeResult>;
  act(authorizationId: string, action: ProviderAction, idempotencyKey: string): Promise<ActionResult>;
  /** Every authorization with this reference, as the provider knows them. */
  authorizationsFor(reference: string): Promise<ProviderAuthorization[]>;
}

export interface ProviderClientOptions {
  /** The provider's origin, e.g. `http://127.0.0.1:8201`. */
  baseUrl: string;
  /** Deadline of one try; a try without an answer by then is retried with the same key. Defaults to 3 s. */
  timeoutMs?: number;
  retry?: Partial<CallRetryPolicy>;
  breaker?: Partial<CircuitBreakerPolicy>;
  clock?: Clock;
  logger?: Logger;
}

export const DEFAULT_CALL_RETRY: CallRetryPolicy = { attempts: 3, initialDelayMs: 100, maxDelayMs: 1_000 };
export const DEFAULT_BREAKER: CircuitBreakerPolicy = { failureThreshold: 5, openMs: 5_000 };

interface Answer {
  status: number;
  body: unknown;
}

/**
 * An HTTP client of the card provider: a deadline per try, retries with the same idempotency key on
 * no answer, timeouts, 5xx and "key in use", and one circuit breaker for the provider. When every try
 * failed it throws `ProviderUnavailableError`: the message that asked for the call is retried later,
 * and the idempotency key makes sure the provider acts once whatever happened to the earlier tries.
 *
 * @example
 * const provider = createProviderClient({ baseUrl: config.PROVIDER_URL, timeoutMs: 3_000 });
 * await provider.authorize({ token, amount, currency: 'THB', reference: orderId }, `payment-${orderId}-authorize`);
 */
export function createProviderClient(options: ProviderClientOptions): CardProvider {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 3_000;
  const retry: CallRetryPolicy = { ...DEFAULT_CALL_RETRY, ...options.retry };
  const breaker: CircuitBreaker = createCircuitBreaker(
    { ...DEFAULT_BREAKER, ...options.breaker },
    options.clock ?? systemClock,
  );

  async function tryOnce(method: string, path: string, body: unknown, idempotencyKey: string | undefined) {
    if (!breaker.tryAcquire()) {
      throw new ProviderUnavailableError('the circuit to the card provider is open; not calling it for now');
    }
    let answer: Answer;
    try {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: injectTraceHeaders({
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
        }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      answer = { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    } catch (error) {
      breaker.recordFailure();
      return failed(
        new ProviderUnavailableError(`no answer from the card provider within ${timeoutMs} ms`, { cause: error }),
      );
    }
    const code = codeOf(answer.body);
    if (isRetryableStatus(answer.status, code)) {
      // A key still in use means the provider works, only slowly on that one request.
      if (answer.status === 409) breaker.recordSuccess();
      else breaker.recordFailure();
      return failed(new ProviderUnavailableError(`the card provider answered ${answer.status} ${code ?? ''}`.trim()));
    }
    breaker.recordSuccess();
    return { kind: 'answer', value: answer } satisfies TryOutcome<Answer>;
  }

  function failed(error: ProviderUnavailableError): TryOutcome<Answer> {
    options.logger?.warn({ err: error }, 'card provider call failed; retrying with the same idempotency key');
    return { kind: 'retry', error };
  }

  const exchange = (method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<Answer> =>
    tryUntilAnswered(() => tryOnce(method, path, body, idempotencyKey), retry, sleep);

  return {
    async cardToken(token) {
      const answer = await exchange('GET', `/v1/tokens/${encodeURIComponent(token)}`);
      if (answer.status === 404 || answer.status === 400) return null;
      return parse(CardTokenSchema, expectStatus(answer, 200, 'GET /v1/tokens/:token'));
    },

    async authorize(request, idempotencyKey) {
      const answer = await exchange('POST', '/v1/authorizations', request, idempotencyKey);
      if (answer.status === 400 && codeOf(answer.body) === 'CARD_PROVIDER_UNKNOWN_TOKEN')
        return { kind: 'unknown-token' };
      const authorization = parse(ProviderAuthorizationSchema, expectStatus(answer, 201, 'POST /v1/authorizations'));
      return { kind: 'answered', authorization };
    },

    async act(authorizationId, action, idempotencyKey) {
      const path = `/v1/authorizations/${encodeURIComponent(authorizationId)}/${action}`;
      const answer = await exchange('POST', path, undefined, idempotencyKey);
      if (answer.status === 409 && codeOf(answer.body) === 'CARD_PROVIDER_INVALID_STATE') {
        const { authorizationStatus } = answer.body as { authorizationStatus?: unknown };
        return { kind: 'refused', authorizationStatus: String(authorizationStatus) };
      }
      return { kind: 'done', authorization: parse(ProviderAuthorizationSchema, expectStatus(answer, 200, path)) };
    },

    async authorizationsFor(reference) {
      const answer = await exchange('GET', `/v1/authorizations?reference=${encodeURIComponent(reference)}`);
      const list = parse(
        z.object({ items: z.array(ProviderAuthorizationSchema) }),
        expectStatus(answer, 200, 'GET /v1/authorizations'),
      );
      return list.items;
    },
  };
}

function codeOf(body: unknown): string | undefined {
  const code = (body as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function expectStatus(answer: Answer, status: number, call: string): unknown {
  if (answer.status !== status) {
    throw new ProviderContractError(
      `${call}: the card provider answered ${answer.status} ${codeOf(answer.body) ?? ''}`.trim(),
    );
  }
  return answer.body;
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ProviderContractError(`unexpected answer from the card provider: ${parsed.error.message}`);
  return parsed.data;
}
