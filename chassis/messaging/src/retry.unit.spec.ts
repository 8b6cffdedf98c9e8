import { describe, expect, it } from 'vitest';
import { backoffDelay, isInfrastructureError } from './retry.ts';

const policy = { initialDelayMs: 200, maxDelayMs: 1_000 };

describe('retry', () => {
  it('doubles the pause after each failure, up to the maximum, with half of it random', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(100);
    expect(backoffDelay(1, policy, () => 1)).toBe(200);
    expect(backoffDelay(2, policy, () => 1)).toBe(400);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(600);
    expect(backoffDelay(10, policy, () => 1)).toBe(1_000);
  });

  it('tells a database outage from a failing handler', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const uniqueViolation = Object.assign(new Error('duplicate key value'), { code: '23505' });
    expect(isInfrastructureError(refused)).toBe(true);
    expect(isInfrastructureError(shutdown)).toBe(true);
    expect(isInfrastructureError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isInfrastructureError(new Error('wrapped', { cause: refused }))).toBe(true);
    expect(isInfrastructureError(uniqueViolation)).toBe(false);
    expect(isInfrastructureError(new Error('payment declined'))).toBe(false);
    expect(isInfrastructureError('a string')).toBe(false);
  });
});
