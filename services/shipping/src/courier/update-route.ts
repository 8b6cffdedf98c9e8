import { DomainError, assertNever, type Clock } from '@talad/core';
import type { Messaging } from '@talad/messaging';
import { problem, sendProblem, type ServiceApp } from '@talad/service';
import { z } from 'zod';
import { ShippingErrorCode } from '../error-codes.ts';
import { changeStatus } from '../shipments/announce-status.ts';
import { decideCourierUpdate } from '../shipments/shipment.ts';
import { lockShipment } from '../shipments/shipment-repository.ts';
import { SIGNATURE_HEADER, checkUpdateSignature } from './update-signature.ts';

/** A status update as the courier POSTs it; `reference` is ours (the shipment id). Unknown fields are ignored. */
export const CourierUpdateSchema = z.object({
  eventId: z.uuid(),
  pickupId: z.string().max(200),
  reference: z.uuid(),
  status: z.enum(['dispatched', 'in_transit', 'delivered']),
  occurredAt: z.iso.datetime(),
});

const CourierUpdateAnswerSchema = z.object({ shipmentStatus: z.string() });

/** The exact bytes of each update, which the signature covers (a re-serialized body would not match). */
const rawBodies = new WeakMap<object, string>();
/** The signature of each update that passed the check, to be refused if it comes again. */
const signatures = new WeakMap<object, string>();

/**
 * `POST /courier/updates`: the courier reports a parcel's progress. The caller is the outside world, so
 * it proves itself with an HMAC signature over the body and a timestamp (see update-signature.ts), not
 * a token; stale timestamps and signatures seen before are refused. The shipment is locked while the
 * update is applied, so it and a cancellation take turns: a `dispatched` that comes after the
 * cancellation is answered 410 (the courier leaves the parcel), one that comes before makes the
 * cancellation too late. Answers: 200 (applied, or not news), 401, 404, 409 (replay), 410.
 */
export function registerCourierUpdateRoute(
  app: ServiceApp,
  parts: { messaging: Messaging; clock: Clock; secret: string },
): void {
  const { messaging, clock, secret } = parts;
  app.register(async (scope: ServiceApp) => {
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      const text = String(body);
      rawBodies.set(request, text);
      try {
        done(null, JSON.parse(text));
      } catch {
        // Left for validation to refuse with 400, once the signature has been checked.
        done(null, text);
      }
    });

    scope.post(
      '/courier/updates',
      {
        config: { access: 'public' },
        schema: {
          summary: "The courier's signed status updates",
          description: `Signed in the \`${SIGNATURE_HEADER}\` header: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">.`,
          body: CourierUpdateSchema,
          response: { 200: CourierUpdateAnswerSchema },
        },
        preValidation: async (request) => {
          const check = checkUpdateSignature(
            request.headers[SIGNATURE_HEADER],
            rawBodies.get(request) ?? '',
            secret,
            clock.now(),
          );
          if (check.ok) {
            signatures.set(request, check.signature);
            return;
          }
          if (check.problem === 'stale') {
            throw new DomainError(
              'unauthenticated',
              ShippingErrorCode.CourierSignatureStale,
              'the update was signed too long ago (or in the future)',
            );
          }
          throw new DomainError(
            'unauthenticated',
            ShippingErrorCode.CourierSignatureInvalid,
            `the ${SIGNATURE_HEADER} header is ${check.problem === 'missing' ? 'missing' : 'not a valid signature of this body'}`,
          );
        },
      },
      async (request, reply) => {
        const signature = signatures.get(request);
        if (signature === undefined) throw new Error('an update reached its handler unsigned');
        const update = request.body;
        const answer = await messaging.transaction(async (tx) => {
          const now = clock.now();
          const seen = await tx.query(
            'INSERT INTO courier_signatures_seen (signature, received_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
            [signature, now],
          );
          if (seen.rowCount === 0) {
            throw new DomainError(
              'conflict',
              ShippingErrorCode.CourierUpdateReplayed,
              'this signed update was received before',
            );
          }
          const shipment = await lockShipment(tx, update.reference);
          if (!shipment) {
            throw new DomainError('not-found', ShippingErrorCode.ShipmentNotFound, `no shipment ${update.reference}`);
          }
          const decision = decideCourierUpdate(shipment.status, update.status);
          switch (decision.kind) {
            case 'advance':
              await changeStatus(tx, messaging, shipment, decision.to, now);
              return { kind: 'ok', status: decision.to } as const;
            case 'unchanged':
              return { kind: 'ok', status: shipment.status } as const;
            case 'refuse-cancelled':
              return { kind: 'cancelled' } as const;
            default:
              return assertNever(decision);
          }
        });
        if (answer.kind === 'cancelled') {
          return sendProblem(
            reply,
            problem(410, ShippingErrorCode.ShipmentCancelled, 'the shipment was cancelled: do not collect the parcel'),
          );
        }
        return { shipmentStatus: answer.status };
      },
    );
  });
}
