/**
 * Time comes from a clock passed in, never from `new Date()` inside business code,
 * so tests can move time (deadlines, expiries) without waiting.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to. */
export function manualClock(start: Date = new Date('2026-01-01T00:00:00Z')): Clock & {
  advance(milliseconds: number): void;
  set(to: Date): void;
} {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (milliseconds) => {
      current += milliseconds;
    },
    set: (to) => {
      current = to.getTime();
    },
  };
}
