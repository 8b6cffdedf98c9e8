import { randomBytes } from 'node:crypto';
import type { Clock } from '@talad/core';
import {
  nextStatus,
  type AuthorizationAction,
  type AuthorizationStatus,
  type Card,
  type CardBehaviour,
  type DeclineCode,
} from './card-rules.ts';

export interface StoredCard extends Card {
  token: string;
  name: string | undefined;
  createdAt: Date;
}

export interface Authorization {
  id: string;
  status: AuthorizationStatus;
  declineCode: DeclineCode | undefined;
  token: string;
  brand: string;
  last4: string;
  amount: number;
  currency: string;
  reference: string;
  createdAt: Date;
  capturedAt: Date | undefined;
  voidedAt: Date | undefined;
  refundedAt: Date | undefined;
}

export interface AuthorizationRequest {
  token: string;
  amount: number;
  currency: string;
  reference: string;
}

export type ActionResult =
  | { ok: true; authorization: Authorization }
  | { ok: false; problem: 'not-found' }
  | { ok: false; problem: 'invalid-state'; authorization: Authorization };

/**
 * The processor's books, in memory: tokenized cards and authorizations. A simulator keeps nothing
 * across restarts, like a test-mode account that is wiped.
 */
export interface Ledger {
  tokenize(card: Card, name: string | undefined): StoredCard;
  card(token: string): StoredCard | undefined;
  /** Records an authorization for the card's behaviour (decided by the caller, who may wait first). */
  authorize(card: StoredCard, request: AuthorizationRequest, behaviour: CardBehaviour): Authorization;
  act(id: string, action: AuthorizationAction): ActionResult;
  authorization(id: string): Authorization | undefined;
  /** Every authorization with this reference, oldest first. */
  byReference(reference: string): Authorization[];
  all(): Authorization[];
}

const randomId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('base64url')}`;

export function createLedger(clock: Clock): Ledger {
  const cards = new Map<string, StoredCard>();
  const authorizations = new Map<string, Authorization>();

  return {
    tokenize(card, name) {
      const stored: StoredCard = { ...card, token: randomId('tok'), name, createdAt: clock.now() };
      cards.set(stored.token, stored);
      return stored;
    },
    card: (token) => cards.get(token),
    authorize(card, request, behaviour) {
      const authorization: Authorization = {
        id: randomId('auth'),
        status: behaviour.kind === 'decline' ? 'declined' : 'authorized',
        declineCode: behaviour.kind === 'decline' ? behaviour.declineCode : undefined,
        token: card.token,
        brand: card.brand,
        last4: card.last4,
        amount: request.amount,
        currency: request.currency,
        reference: request.reference,
        createdAt: clock.now(),
        capturedAt: undefined,
        voidedAt: undefined,
        refundedAt: undefined,
      };
      authorizations.set(authorization.id, authorization);
      return { ...authorization };
    },
    act(id, action) {
      const authorization = authorizations.get(id);
      if (!authorization) return { ok: false, problem: 'not-found' };
      const next = nextStatus(authorization.status, action);
      if (!next) return { ok: false, problem: 'invalid-state', authorization: { ...authorization } };
      const now = clock.now();
      authorization.status = next;
      if (action === 'capture') authorization.capturedAt = now;
      if (action === 'void') authorization.voidedAt = now;
      if (action === 'refund') authorization.refundedAt = now;
      return { ok: true, authorization: { ...authorization } };
    },
    authorization: (id) => {
      const authorization = authorizations.get(id);
      return authorization ? { ...authorization } : undefined;
    },
    byReference: (reference) =>
      [...authorizations.values()].filter((entry) => entry.reference === reference).map((entry) => ({ ...entry })),
    all: () => [...authorizations.values()].map((entry) => ({ ...entry })),
  };
}
