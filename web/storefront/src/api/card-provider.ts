/**
 * The card goes from the browser straight to the card provider, which answers a token; Talad only ever
 * sees the token. The provider's address is put in the page by the gateway (`talad-card-provider`).
 */
import { z } from 'zod';
import { ApiError } from './http.ts';

export interface CardDetails {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  name?: string;
}

const CardTokenSchema = z.object({ token: z.string().min(1), brand: z.string(), last4: z.string() });
export type CardToken = z.infer<typeof CardTokenSchema>;

export function cardProviderUrl(): string {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="talad-card-provider"]');
  return (meta?.content ?? '').replace(/\/+$/, '');
}

export async function tokenizeCard(card: CardDetails): Promise<CardToken> {
  const base = cardProviderUrl();
  if (base === '') throw new ApiError(0, 'NO_CARD_PROVIDER', 'Card payments are not available right now.');
  let response: Response;
  try {
    response = await fetch(`${base}/v1/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(card),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'We cannot reach the card processor right now. Please try again.');
  }
  const body = (await response.json().catch(() => undefined)) as unknown;
  if (!response.ok) {
    const detail = (body as { detail?: unknown } | undefined)?.detail;
    const code = (body as { code?: unknown } | undefined)?.code;
    throw new ApiError(
      response.status,
      typeof code === 'string' ? code : `HTTP_${response.status}`,
      response.status >= 500
        ? 'The card processor is not available right now. Please try again in a moment.'
        : `The card was refused${typeof detail === 'string' ? `: ${detail}` : '.'}`,
    );
  }
  const token = CardTokenSchema.safeParse(body);
  if (!token.success) throw new ApiError(response.status, 'UNEXPECTED_ANSWER', 'The card processor answered oddly.');
  return token.data;
}
