import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { Dispatcher, Pool } from 'undici';

/** An upstream's answer, headers and body. */
export interface UpstreamAnswer {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  /**
   * The whole body when it is small and its length known (nearly every API answer): sending one Buffer
   * costs far less than piping a stream. A stream otherwise, so big or open-ended bodies are never held.
   */
  readonly body: Buffer | Readable;
}

/** Bodies up to this size, of declared length, are read whole before the answer is relayed. */
const WHOLE_BODY_LIMIT = 64 * 1024;
const EMPTY = Buffer.alloc(0);

/**
 * Sends one request on an instance's pool. Resolves when the headers arrived and, for a small body, the
 * body too; rejects with undici's error when the request failed before an answer started, or with a
 * `TimeoutError` when `deadlineMs` passed first. One plain timer per call, cleared on the answer: undici's
 * own timeouts tick coarsely (about every half second), too late for a deadline of a few hundred ms.
 *
 * @example
 * const answer = await callInstance(instance.pool, { method: 'GET', path: '/products', headers }, 5_000);
 */
export function callInstance(
  pool: Pool,
  options: Dispatcher.DispatchOptions,
  deadlineMs: number,
): Promise<UpstreamAnswer> {
  return new Promise((resolve, reject) => {
    const handler = new AnswerHandler(
      (answer) => {
        clearTimeout(timer);
        resolve(answer);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
      options.method === 'HEAD',
    );
    const timer = setTimeout(() => handler.expire(deadlineMs), deadlineMs);
    pool.dispatch(options, handler);
  });
}

/** The deadline passed before the upstream answered; named like the platform's own timeout errors. */
export class DeadlineExceededError extends Error {
  constructor(deadlineMs: number) {
    super(`no answer within ${Math.round(deadlineMs)} ms`);
    this.name = 'TimeoutError';
  }
}

// A class rather than closures: one allocation per request on the hot path.
class AnswerHandler implements Dispatcher.DispatchHandler {
  private readonly resolve: (answer: UpstreamAnswer) => void;
  private readonly reject: (error: Error) => void;
  private readonly bodiless: boolean;
  private statusCode = 0;
  private headers: IncomingHttpHeaders = {};
  private chunks: Buffer[] | undefined;
  private stream: Readable | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private expiredAfterMs: number | undefined;

  constructor(resolve: (answer: UpstreamAnswer) => void, reject: (error: Error) => void, bodiless: boolean) {
    this.resolve = resolve;
    this.reject = reject;
    this.bodiless = bodiless;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.expiredAfterMs !== undefined) controller.abort(new DeadlineExceededError(this.expiredAfterMs));
  }

  /** Gives up on the request, unless its answer is already being streamed to the caller. */
  expire(deadlineMs: number): void {
    if (this.stream) return;
    this.expiredAfterMs = deadlineMs;
    this.controller?.abort(new DeadlineExceededError(deadlineMs));
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.statusCode = statusCode;
    this.headers = headers;
    const length = headers['content-length'];
    if (
      this.bodiless ||
      statusCode === 204 ||
      statusCode === 304 ||
      (length !== undefined && Number(length) <= WHOLE_BODY_LIMIT)
    ) {
      this.chunks = [];
      return;
    }
    let ended = false;
    const stream = new Readable({
      read: () => controller.resume(),
      destroy: (error, done) => {
        // The caller went away mid-body: stop the upstream transfer too.
        if (!ended) controller.abort(error ?? new Error('the answer was abandoned'));
        done(error);
      },
    });
    stream.once('end', () => (ended = true));
    this.stream = stream;
    this.resolve({ statusCode, headers, body: stream });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.chunks) this.chunks.push(chunk);
    else if (this.stream && !this.stream.push(chunk)) controller.pause();
  }

  onResponseEnd(): void {
    if (this.stream) {
      this.stream.push(null);
      return;
    }
    const chunks = this.chunks ?? [];
    const body = chunks.length === 0 ? EMPTY : chunks.length === 1 ? (chunks[0] ?? EMPTY) : Buffer.concat(chunks);
    this.resolve({ statusCode: this.statusCode, headers: this.headers, body });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.stream) this.stream.destroy(error);
    else this.reject(error);
  }
}
