import { describe, expect, it } from 'vitest';
import { preferredWaitMs } from './routes.ts';

describe('Prefer: wait', () => {
  it('reads the wait preference in seconds among others, capped at three seconds', () => {
    expect(preferredWaitMs('wait=2')).toBe(2_000);
    expect(preferredWaitMs('return=minimal, wait=1')).toBe(1_000);
    expect(preferredWaitMs('respond-async; wait="2"')).toBe(2_000);
    expect(preferredWaitMs(['return=minimal', 'wait=60'])).toBe(3_000);
  });

  it('is no wait when absent or malformed', () => {
    expect(preferredWaitMs(undefined)).toBe(0);
    expect(preferredWaitMs('wait=soon')).toBe(0);
    expect(preferredWaitMs('nowait=5')).toBe(0);
  });
});
