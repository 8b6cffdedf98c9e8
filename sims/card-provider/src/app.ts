import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock, type Clock } from '@talad/core';
import { createServiceApp, problem, sendProblem, type Logger, type Problem, type ServiceApp } from '@talad/service';
import { behaviourOf, checkCard, type AuthorizationAction } from './card-rules.ts';
import { CardProviderErrorCode } from './error-codes.ts';
import { DEFAULT_FAULTS, type Faults } from './faults.ts';
import { createIdempotencyStore, type StoredResponse } from './idempotency.ts';
import { createLedger, type Authorization, type StoredCard } from './ledger.ts';
import {
  AuthorizationListQuerySchema,
  AuthorizationListSchema,
  AuthorizationParamsSchema,
  AuthorizationRequestSchema,
  AuthorizationSchema,
  CardDetailsSchema,
  CardTokenSchema,
  FaultChangesSchema,
  FaultsSchema,
  IdempotencyHeadersSchema,
  TokenParamsSchema,
  type AuthorizationView,
} from './schemas.ts';

export interface CardProviderAppOptions {
  /** Starting faults; `PUT /admin/faults` changes them while running. */
  faults?: Partial<Faults>;
  clock?: Clock;
  logger?: Logger;
  /** Decides which calls fail under `failureRate`; tests pass a fixed one. */
  random?: () => number;
}

/** Fastify's reply, named through the chassis so the simulator needs no Fastify dependency of its own. */
type Reply = Parameters<typeof sendProblem>[0];

const PROBLEM_CARD = {
  'invalid-number': [400, CardProviderErrorCode.InvalidCardNumber],
  'invalid-expiry': [400, CardProviderErrorCode.InvalidExpiry],
  expired: [422, CardProviderErrorCode.ExpiredCard],
  'invalid-cvc': [400, CardProviderErrorCode.InvalidCvc],
} as const;

/**
 * A card processor's HTTP API, simulated: tokens (the browser sends the card here, never to Talad),
 * authorizations with capture, void and refund, idempotency keys on every unsafe call, test card
 * numbers with fixed outcomes, and injected latency and failures. State lives in memory.
 */
export async function buildCardProviderApp(options: CardProviderAppOptions = {}): Promise<ServiceApp> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const faults: Faults = { ...DEFAULT_FAULTS, ...options.faults };
  const ledger = createLedger(clock);
  const keys = createIdempotencyStore();
  // Slow authorizations stop waiting when the server closes, so shutdown is not held up by them.
  const closing = new AbortController();

  const app = await createServiceApp({
    name: 'card-provider',
    description: 'A simulated card processor: tokens, authorizations, capture, void, refund; test cards and faults.',
    ...(options.logger ? { logger: options.logger } : {}),
  });
  app.addHook('preClose', async () => closing.abort());

  // The browser calls the processor directly (it stands for the outside world), from Talad's origin.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('access-control-allow-origin', '*');
  });
  app.options('/*', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .code(204)
      .header('access-control-allow-methods', 'GET, POST, PUT, OPTIONS')
      .header('access-control-allow-headers', 'content-type, idempotency-key')
      .header('access-control-max-age', '600')
      .send(),
  );

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/v1/') || request.method === 'OPTIONS') return;
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (faults.failureRate > 0 && random() < faults.failureRate) {
      return sendProblem(
        reply.header('retry-after', '1'),
        problem(503, CardProviderErrorCode.Unavailable, 'the processor is unavailable; nothing was done, try again'),
      );
    }
  });

  app.post(
    '/v1/tokens',
    {
      schema: {
        summary: 'Tokenize a card (called by the browser)',
        body: CardDetailsSchema,
        response: { 201: CardTokenSchema },
      },
    },
    async (request, reply) => {
      const checked = checkCard(request.body, clock.now());
      if (!checked.ok) {
        const [status, code] = PROBLEM_CARD[checked.problem];
        return sendProblem(reply, problem(status, code, checked.message));
      }
      return reply.code(201).send(tokenView(ledger.tokenize(checked.card, request.body.name)));
    },
  );

  app.get(
    '/v1/tokens/:token',
    { schema: { summary: 'A tokenized card', params: TokenParamsSchema, response: { 200: CardTokenSchema } } },
    async (request, reply) => {
      const card = ledger.card(request.params.token);
      if (!card) return sendProblem(reply, unknownToken(404));
      return tokenView(card);
    },
  );

  app.post(
    '/v1/authorizations',
    {
      schema: {
        summary: 'Authorize an amount on a tokenized card (Idempotency-Key required)',
        headers: IdempotencyHeadersSchema,
        body: AuthorizationRequestSchema,
        response: { 201: AuthorizationSchema },
      },
    },
    async (request, reply) =>
      idempotently(request, reply, async () => {
        const card = ledger.card(request.body.token);
        if (!card) return { status: 400, body: unknownToken(400) };
        const behaviour = behaviourOf(card.number);
        if (behaviour.kind === 'approve-slowly')
          await sleep(faults.slowCardDelayMs, undefined, { signal: closing.signal });
        return { status: 201, body: authorizationView(ledger.authorize(card, request.body, behaviour)) };
      }),
  );

  const actions: Array<[AuthorizationAction, string]> = [
    ['capture', 'Capture an authorized amount'],
    ['void', 'Release an authorization that was not captured'],
    ['refund', 'Give back a captured amount'],
  ];
  for (const [action, summary] of actions) {
    app.post(
      `/v1/authorizations/:id/${action}`,
      {
        schema: {
          summary: `${summary} (Idempotency-Key required)`,
          headers: IdempotencyHeadersSchema,
          params: AuthorizationParamsSchema,
          response: { 200: AuthorizationSchema },
        },
      },
      async (request, reply) =>
        idempotently(request, reply, async () => {
          const result = ledger.act(request.params.id, action);
          if (result.ok) return { status: 200, body: authorizationView(result.authorization) };
          if (result.problem === 'not-found') return { status: 404, body: unknownAuthorization(request.params.id) };
          const { status } = result.authorization;
          return {
            status: 409,
            body: problem(
              409,
              CardProviderErrorCode.InvalidState,
              `cannot ${action} an authorization that is ${status}`,
              {
                authorizationStatus: status,
              },
            ),
          };
        }),
    );
  }

  app.get(
    '/v1/authorizations',
    {
      schema: {
        summary: 'Authorizations, all or those with one reference (for inspection)',
        querystring: AuthorizationListQuerySchema,
        response: { 200: AuthorizationListSchema },
      },
    },
    async (request) => {
      const { reference } = request.query;
      const items = reference === undefined ? ledger.all() : ledger.byReference(reference);
      return { items: items.map(authorizationView) };
    },
  );

  app.get(
    '/v1/authorizations/:id',
    {
      schema: {
        summary: 'One authorization',
        params: AuthorizationParamsSchema,
        response: { 200: AuthorizationSchema },
      },
    },
    async (request, reply) => {
      const authorization = ledger.authorization(request.params.id);
      if (!authorization) return sendProblem(reply, unknownAuthorization(request.params.id));
      return authorizationView(authorization);
    },
  );

  app.get(
    '/admin/faults',
    { schema: { summary: 'The injected faults', response: { 200: FaultsSchema } } },
    async () => faults,
  );
  app.put(
    '/admin/faults',
    {
      schema: {
        summary: 'Change the injected faults of the running simulator',
        body: FaultChangesSchema,
        response: { 200: FaultsSchema },
      },
    },
    async (request) => Object.assign(faults, stripUndefined(request.body)),
  );

  /**
   * Runs an unsafe call once per idempotency key: the first request acts and its answer is kept, the
   * same request again gets the same answer; a different request under the key, or one that arrives
   * while the first is still running, is refused.
   */
  async function idempotently(
    request: { method: string; url: string; body: unknown; headers: { 'idempotency-key'?: string | undefined } },
    reply: Reply,
    work: () => Promise<StoredResponse>,
  ): Promise<Reply> {
    const key = request.headers['idempotency-key'];
    if (key === undefined) {
      return sendProblem(
        reply,
        problem(400, CardProviderErrorCode.IdempotencyKeyMissing, 'this call needs an Idempotency-Key header'),
      );
    }
    const fingerprint = JSON.stringify([request.method, request.url.split('?')[0], request.body ?? null]);
    const claim = keys.claim(key, fingerprint);
    switch (claim.kind) {
      case 'mismatch':
        return sendProblem(
          reply,
          problem(422, CardProviderErrorCode.IdempotencyKeyReused, 'this Idempotency-Key was used for another request'),
        );
      case 'in-progress':
        return sendProblem(
          reply.header('retry-after', '1'),
          problem(
            409,
            CardProviderErrorCode.IdempotencyKeyInUse,
            'a request with this Idempotency-Key is still being processed; retry to get its answer',
          ),
        );
      case 'replay':
        return send(reply.header('idempotent-replayed', 'true'), claim.response);
      case 'new': {
        let response: StoredResponse;
        try {
          response = await work();
        } catch (error) {
          keys.release(key);
          throw error;
        }
        keys.complete(key, response);
        return send(reply, response);
      }
    }
  }

  return app;
}

function send(reply: Reply, response: StoredResponse): Reply {
  if (response.status >= 400) return sendProblem(reply, response.body as Problem);
  return reply.code(response.status).send(response.body);
}

function unknownToken(status: 400 | 404): Problem {
  return problem(status, CardProviderErrorCode.UnknownToken, 'no card was tokenized under this token');
}

function unknownAuthorization(id: string): Problem {
  return problem(404, CardProviderErrorCode.UnknownAuthorization, `no authorization with id ${id}`);
}

function tokenView(card: StoredCard) {
  return { token: card.token, brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear };
}

function authorizationView(authorization: Authorization): AuthorizationView {
  return {
    id: authorization.id,
    status: authorization.status,
    ...(authorization.declineCode ? { declineCode: authorization.declineCode } : {}),
    token: authorization.token,
    brand: authorization.brand,
    last4: authorization.last4,
    amount: authorization.amount,
    currency: authorization.currency,
    reference: authorization.reference,
    createdAt: authorization.createdAt.toISOString(),
    ...(authorization.capturedAt ? { capturedAt: authorization.capturedAt.toISOString() } : {}),
    ...(authorization.voidedAt ? { voidedAt: authorization.voidedAt.toISOString() } : {}),
    ...(authorization.refundedAt ? { refundedAt: authorization.refundedAt.toISOString() } : {}),
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
