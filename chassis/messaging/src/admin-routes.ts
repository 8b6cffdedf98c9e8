import { z } from 'zod';
import { DomainError } from '@talad/core';
import type { ServiceApp } from '@talad/service';
import { DEAD_LETTER_FAILURES, type DeadLetterStore } from './dead-letters.ts';
import { MessagingErrorCode } from './error-codes.ts';

export const DeadLetterSummarySchema = z
  .object({
    id: z.uuid(),
    group: z.string(),
    messageId: z.string(),
    topic: z.string(),
    key: z.string(),
    type: z.string().nullable().describe('The CloudEvent type; null when the body could not be read'),
    failure: z.enum(DEAD_LETTER_FAILURES),
    reason: z.string(),
    attempts: z.int().nonnegative().describe('Handler attempts, summed over every time it failed'),
    firstFailedAt: z.iso.datetime(),
    lastFailedAt: z.iso.datetime(),
    replayedAt: z.iso.datetime().nullable().describe('Null while it waits for an operator'),
    replayCount: z.int().nonnegative(),
  })
  .describe('A message a consumer group gave up on');

export const DeadLetterSchema = DeadLetterSummarySchema.extend({
  body: z.string().describe('The message exactly as received'),
  bodyEncoding: z.enum(['utf8', 'base64']),
});

const ListQuerySchema = z.strictObject({
  group: z.string().min(1).optional(),
  state: z.enum(['waiting', 'replayed', 'all']).default('waiting'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.uuid().optional().describe('Paging: the `next` of the previous page'),
});

const IdParamsSchema = z.object({ id: z.uuid() });

/**
 * Operator endpoints for a service's dead letters, in plain JSON (the `talad dlq` command calls them):
 * `GET /admin/dead-letters`, `GET /admin/dead-letters/:id`, `POST /admin/dead-letters/:id/replay`.
 * An unknown id is a 404 problem. Replaying twice sends the message once.
 *
 * @example
 * registerMessagingAdmin(app, { deadLetters: messaging.deadLetters });
 */
export function registerMessagingAdmin(
  app: ServiceApp,
  options: {
    deadLetters: DeadLetterStore;
    /**
     * Route config for the three routes, e.g. `{ access: 'admin' }` where @talad/auth guards routes:
     * operators only, since a dead letter's body may hold customer data.
     */
    routeConfig?: Record<string, unknown>;
  },
): void {
  const { deadLetters } = options;
  const config = options.routeConfig ?? {};
  const notFound = (id: string): DomainError =>
    new DomainError('not-found', MessagingErrorCode.DeadLetterNotFound, `no dead letter with id ${id}`);

  app.get(
    '/admin/dead-letters',
    {
      config,
      schema: {
        summary: 'List dead letters',
        description: 'Newest first; by default only those waiting for a replay.',
        tags: ['admin'],
        querystring: ListQuerySchema,
        response: {
          200: z.object({ items: z.array(DeadLetterSummarySchema), next: z.uuid().nullable() }),
        },
      },
    },
    async (request) => {
      const items = await deadLetters.list(request.query);
      const last = items[items.length - 1];
      return { items, next: items.length === request.query.limit && last ? last.id : null };
    },
  );

  app.get(
    '/admin/dead-letters/:id',
    {
      config,
      schema: {
        summary: 'Show one dead letter, with its body',
        tags: ['admin'],
        params: IdParamsSchema,
        response: { 200: DeadLetterSchema },
      },
    },
    async (request) => {
      const deadLetter = await deadLetters.show(request.params.id);
      if (!deadLetter) throw notFound(request.params.id);
      return deadLetter;
    },
  );

  app.post(
    '/admin/dead-letters/:id/replay',
    {
      config,
      schema: {
        summary: 'Send a dead letter again to its topic',
        description: 'Idempotent: a dead letter already replayed (and not failed since) is not sent again.',
        tags: ['admin'],
        params: IdParamsSchema,
        response: { 200: z.object({ replayed: z.boolean(), deadLetter: DeadLetterSummarySchema }) },
      },
    },
    async (request) => {
      const outcome = await deadLetters.replay(request.params.id);
      if (!outcome) throw notFound(request.params.id);
      return outcome;
    },
  );
}
