import { describe, expect, it } from 'vitest';
import { createCircuitBreaker, defaultBreakerSettings, type CircuitState } from './circuit-breaker.ts';

function breaker(overrides: Partial<typeof defaultBreakerSettings> = {}) {
  let time = 0;
  const transitions: string[] = [];
  const circuit = createCircuitBreaker(
    { ...defaultBreakerSettings, ...overrides },
    { now: () => time, onTransition: (from: CircuitState, to: CircuitState) => transitions.push(`${from}→${to}`) },
  );
  return { circuit, transitions, advance: (ms: number) => (time += ms) };
}

describe('circuit breaker', () => {
  it('opens when half of at least 20 requests in the window failed', () => {
    const { circuit } = breaker({ consecutiveFailures: 1_000 });
    for (let index = 0; index < 10; index++) {
      circuit.succeeded();
      circuit.failed();
    }
    expect(circuit.state).toBe('open');
    expect(circuit.tryAcquire()).toBe(false);
  });

  it('does not open on a high failure rate below the minimum volume', () => {
    const { circuit } = breaker({ consecutiveFailures: 1_000 });
    for (let index = 0; index < 9; index++) circuit.failed();
    circuit.succeeded();
    expect(circuit.state).toBe('closed');
  });

  it('forgets failures older than the window', () => {
    const { circuit, advance } = breaker({ consecutiveFailures: 1_000 });
    for (let index = 0; index < 15; index++) circuit.failed();
    advance(11_000);
    for (let index = 0; index < 5; index++) circuit.failed();
    for (let index = 0; index < 10; index++) circuit.succeeded();
    expect(circuit.state).toBe('closed');
  });

  it('opens after N failures in a row whatever the volume', () => {
    const { circuit } = breaker({ consecutiveFailures: 3 });
    circuit.failed();
    circuit.failed();
    circuit.succeeded();
    circuit.failed();
    circuit.failed();
    expect(circuit.state).toBe('closed');
    circuit.failed();
    expect(circuit.state).toBe('open');
  });

  it('lets one probe through after the cool-down, closing on success and reopening on failure', () => {
    const { circuit, advance, transitions } = breaker({ consecutiveFailures: 1, coolDownMs: 5_000 });
    circuit.failed();
    expect(circuit.retryAfterMs()).toBe(5_000);
    advance(4_999);
    expect(circuit.tryAcquire()).toBe(false);
    advance(1);
    expect(circuit.tryAcquire()).toBe(true);
    expect(circuit.tryAcquire()).toBe(false);
    circuit.failed();
    expect(circuit.state).toBe('open');
    advance(5_000);
    expect(circuit.tryAcquire()).toBe(true);
    circuit.succeeded();
    expect(circuit.state).toBe('closed');
    expect(transitions).toEqual([
      'closed→open',
      'open→half-open',
      'half-open→open',
      'open→half-open',
      'half-open→closed',
    ]);
  });

  it('frees the probe slot when a probe ends without telling anything', () => {
    const { circuit, advance } = breaker({ consecutiveFailures: 1, coolDownMs: 10 });
    circuit.failed();
    advance(10);
    expect(circuit.tryAcquire()).toBe(true);
    circuit.abandoned();
    expect(circuit.tryAcquire()).toBe(true);
  });
});
