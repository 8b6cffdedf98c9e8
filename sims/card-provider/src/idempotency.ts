/** A response kept under an idempotency key, sent again as it was when the key comes back. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

export type IdempotencyClaim =
  | { kind: 'new' }
  | { kind: 'replay'; response: StoredResponse }
  /** The first request with this key is still being worked on. */
  | { kind: 'in-progress' }
  /** The key was used before for a different request. */
  | { kind: 'mismatch' };

export interface IdempotencyStore {
  /** Claims the key for this request (`fingerprint`: what the request asks), or says why not. */
  claim(key: string, fingerprint: string): IdempotencyClaim;
  complete(key: string, response: StoredResponse): void;
  /** Frees a claimed key without storing an answer (the request did nothing). */
  release(key: string): void;
}

type Entry = { fingerprint: string; response: StoredResponse | undefined };

/**
 * Idempotency keys as real processors have them: the first request with a key acts and its answer is
 * kept; the same key with the same request gets that answer again without acting twice; the same key
 * with another request is refused; a key whose first request is still running is refused for now
 * (the caller retries later and then gets the stored answer). Keys are kept for the process's life.
 */
export function createIdempotencyStore(): IdempotencyStore {
  const entries = new Map<string, Entry>();
  return {
    claim(key, fingerprint) {
      const entry = entries.get(key);
      if (!entry) {
        entries.set(key, { fingerprint, response: undefined });
        return { kind: 'new' };
      }
      if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
      return entry.response ? { kind: 'replay', response: entry.response } : { kind: 'in-progress' };
    },
    complete(key, response) {
      const entry = entries.get(key);
      if (entry) entry.response = response;
    },
    release(key) {
      if (entries.get(key)?.response === undefined) entries.delete(key);
    },
  };
}
