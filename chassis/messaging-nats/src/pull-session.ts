import { createInbox, nanos, type Msg, type Subscription } from '@nats-io/transport-node';
import type { NatsLink } from './connection.ts';
import { parseAckSubject, toPulledMessage, type PulledMessage } from './pulled-message.ts';

export type PullEvent =
  | { readonly kind: 'message'; readonly message: PulledMessage }
  /** The open request ended without a message: it expired, was refused, or was given up. */
  | { readonly kind: 'ended'; readonly reason: string }
  /** Nothing serves the consumer (deleted, or JetStream not ready yet): ensure it, then pull again. */
  | { readonly kind: 'missing'; readonly reason: string }
  /** The connection under the session closed for good. */
  | { readonly kind: 'closed' };

export interface PullSession {
  /** The next event; first sends a request for one message unless one is open. */
  next(): Promise<PullEvent>;
  /**
   * Waits until no request can still bring a message, hands back (naks) any that does, and unsubscribes.
   * Unsubscribing while a request is open would drop a message the server may already be sending, and the
   * partition would wait out ack_wait for it. Takes up to the request expiry when the partition is idle.
   */
  close(): Promise<void>;
}

/** Allowance for a request's way to the server, on top of its expiry. */
const EXPIRY_MARGIN_MS = 1_000;
const CLOSE_POLL_MS = 25;

/**
 * Pulls one durable consumer, one message per request. A request ends with its message (nothing more can
 * come for it) or with a status when it expires. After a reconnect, or when no answer came in time, the
 * open request is given up (the server may have lost it in a restart, or kept it through a brief cut):
 * requests then go out to a new inbox, so a late answer to the old one is not taken for the new one's, a
 * message it still brings is handled like any other, and `close` waits until its expiry has surely passed.
 */
export function openPullSession(link: NatsLink, stream: string, consumer: string, expiresMs: number): PullSession {
  const { nc } = link;
  const nextSubject = `$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`;
  const request = JSON.stringify({ batch: 1, expires: nanos(expiresMs) });
  const events: PullEvent[] = [];
  let wake: (() => void) | undefined;
  let closing = false;
  /** Requests sent to the current inbox and not answered. */
  let open = 0;
  let deadline = 0;
  /** Inboxes of given-up requests, kept until those requests have surely expired. */
  let retired: Subscription[] = [];
  let givenUpUntil = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const push = (event: PullEvent): void => {
    if (closing) {
      if (event.kind === 'message') event.message.nak();
      return;
    }
    events.push(event);
    wake?.();
  };

  const onMessage = (msg: Msg): void => {
    const code = msg.headers?.code ?? 0;
    if (code === 100) return; // a heartbeat; none are asked for
    const answersOpenRequest = msg.sid === current.getID();
    if (answersOpenRequest) open = Math.max(0, open - 1);
    if (code === 0) {
      const info = parseAckSubject(msg.reply ?? '');
      if (info) push({ kind: 'message', message: toPulledMessage(nc, msg, info) });
      return;
    }
    if (!answersOpenRequest) return; // the end of a request already given up
    const reason = `${code} ${msg.headers?.description ?? ''}`.trim();
    const missing = code === 503 || (code === 409 && /consumer deleted/i.test(reason));
    push({ kind: missing ? 'missing' : 'ended', reason });
  };

  const subscribe = (): Subscription =>
    nc.subscribe(createInbox(), {
      callback: (error, msg) => {
        if (!error) onMessage(msg);
      },
    });
  let current = subscribe();
  void nc.closed().then(() => push({ kind: 'closed' }));

  const giveUp = (reason: string): void => {
    if (open === 0) return;
    open = 0;
    retired.push(current);
    current = subscribe();
    givenUpUntil = Math.max(givenUpUntil, deadline);
    push({ kind: 'ended', reason });
  };

  const stopWatchingReconnects = link.onReconnect(() => {
    // Requests buffered while disconnected reach the server only now: count their expiry from here.
    deadline = Date.now() + expiresMs + EXPIRY_MARGIN_MS;
    giveUp('reconnected');
  });

  const send = (): void => {
    if (retired.length > 0 && Date.now() >= givenUpUntil) {
      retired.forEach((subscription) => subscription.unsubscribe());
      retired = [];
    }
    open++;
    deadline = Date.now() + expiresMs + EXPIRY_MARGIN_MS;
    nc.publish(nextSubject, request, { reply: current.getSubject() });
    clearTimeout(timer);
    // Unanswered past its expiry: lost with a server that went away before the client noticed.
    timer = setTimeout(() => {
      if (link.isConnected()) giveUp('no answer before the request expired');
    }, deadline - Date.now());
  };

  const settled = (): boolean =>
    nc.isClosed() ||
    // Unsubscribed while disconnected, an inbox is not subscribed again on reconnect: nothing can reach it.
    !link.isConnected() ||
    (open === 0 && Date.now() >= givenUpUntil);

  return {
    async next() {
      if (events.length === 0 && open === 0 && !nc.isClosed()) send();
      while (events.length === 0) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      return events.shift() ?? { kind: 'closed' };
    },
    async close() {
      closing = true;
      for (const event of events.splice(0)) if (event.kind === 'message') event.message.nak();
      while (!settled()) await new Promise((resolve) => setTimeout(resolve, CLOSE_POLL_MS));
      clearTimeout(timer);
      stopWatchingReconnects();
      if (!nc.isClosed()) [current, ...retired].forEach((subscription) => subscription.unsubscribe());
    },
  };
}
