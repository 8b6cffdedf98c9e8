/**
 * The signed-in person's tokens, kept in localStorage so a reload or a new tab stays signed in. The
 * access token is short-lived; the refresh token gets a new one (and is rotated) when it runs out.
 */
import { useSyncExternalStore } from 'react';

export interface Tokens {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
}

const KEY = 'talad.session';
const listeners = new Set<() => void>();
let current: Tokens | undefined = load();

function load(): Tokens | undefined {
  try {
    const stored = JSON.parse(window.localStorage.getItem(KEY) ?? 'null') as Partial<Tokens> | null;
    return typeof stored?.accessToken === 'string'
      ? { accessToken: stored.accessToken, refreshToken: stored.refreshToken }
      : undefined;
  } catch {
    return undefined;
  }
}

function changed(): void {
  for (const listener of listeners) listener();
}

export const session = {
  tokens: (): Tokens | undefined => current,
  signIn(tokens: Tokens): void {
    current = tokens;
    window.localStorage.setItem(KEY, JSON.stringify(tokens));
    changed();
  },
  signOut(): void {
    current = undefined;
    window.localStorage.removeItem(KEY);
    changed();
  },
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

// Another tab signing in or out applies here too.
window.addEventListener('storage', (event) => {
  if (event.key !== KEY) return;
  current = load();
  changed();
});

export function useSignedIn(): boolean {
  return useSyncExternalStore(session.subscribe, () => current !== undefined);
}
