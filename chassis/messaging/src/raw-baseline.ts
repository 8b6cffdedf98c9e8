import { performance } from 'node:perf_hooks';
import { percentile } from './percentile.ts';

/** Options every adapter's raw baseline (`runRawBaseline`) takes; the broker's plain client, no transport. */
export interface RawBaselineOptions {
  /** The broker, or for the message log a database the baseline may create a table in. */
  readonly url: string;
  /** Default 10,000. */
  readonly messages?: number;
  /** Default 1,024. */
  readonly payloadBytes?: number;
  /** Messages published and not yet acknowledged by the broker at once. */
  readonly inFlight?: number;
}

/** What a raw baseline measured, from the first publish to the last message consumed. */
export interface RawBaselineResult {
  readonly messages: number;
  readonly seconds: number;
  readonly msgsPerSecond: number;
  /** From the start of a message's publish to its arrival at the consumer. */
  readonly latencyMs: { readonly p50: number; readonly p99: number };
}

/** How many messages a baseline sends (default 10,000); throws unless a positive integer. */
export function baselineMessages(options: RawBaselineOptions): number {
  const total = options.messages ?? 10_000;
  if (!Number.isInteger(total) || total < 1) throw new RangeError(`messages must be a positive integer, got ${total}`);
  return total;
}

/**
 * The result of a raw baseline that started at `startedAt` (performance.now()) and is done now.
 *
 * @example
 * return baselineResult(total, started, latencies);
 */
export function baselineResult(messages: number, startedAt: number, latencies: number[]): RawBaselineResult {
  const seconds = (performance.now() - startedAt) / 1000;
  const sorted = latencies.toSorted((a, b) => a - b);
  return {
    messages,
    seconds,
    msgsPerSecond: messages / seconds,
    latencyMs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) },
  };
}

/** A payload of `bytes` whose first 8 bytes carry the moment it is sent (performance.now()). */
export function stampedPayload(bytes: number): Uint8Array {
  const payload = new Uint8Array(Math.max(8, bytes)).fill(0x61);
  new DataView(payload.buffer).setFloat64(0, performance.now(), true);
  return payload;
}

/** Milliseconds since the payload was stamped. */
export function sinceStamped(payload: Uint8Array): number {
  return performance.now() - new DataView(payload.buffer, payload.byteOffset, 8).getFloat64(0, true);
}
