/**
 * Whether the payment provider issued a card token, asked of payment (`GET {PAYMENT_URL}/card-tokens/:token`,
 * 200 or 404) so that a mistyped or made-up token is refused while the customer waits, rather than
 * becoming a rejected order a moment later. The customer's own bearer token goes along (payment lets
 * customers ask). When payment cannot answer the order goes ahead: the checkout's authorization step is
 * the real check and rejects an invalid token anyway.
 */
export type CardTokenCheck = (cardToken: string, bearerToken: string) => Promise<'known' | 'unknown' | 'unchecked'>;

export interface CardTokenCheckOptions {
  paymentUrl: string;
  timeoutMs?: number;
  onUnreachable?: (error: unknown) => void;
}

export function createCardTokenCheck(options: CardTokenCheckOptions): CardTokenCheck {
  const base = options.paymentUrl.endsWith('/') ? options.paymentUrl : `${options.paymentUrl}/`;
  return async (cardToken, bearerToken) => {
    try {
      const path = `card-tokens/${encodeURIComponent(cardToken).replaceAll('.', '%2E')}`;
      const response = await fetch(new URL(path, base), {
        headers: { accept: 'application/json', authorization: `Bearer ${bearerToken}` },
        signal: AbortSignal.timeout(options.timeoutMs ?? 3_000),
      });
      await response.body?.cancel();
      if (response.ok) return 'known';
      if (response.status === 404) return 'unknown';
      throw new Error(`payment answered ${response.status}`);
    } catch (error) {
      options.onUnreachable?.(error);
      return 'unchecked';
    }
  };
}
