import { type TransportLogger } from '@talad/messaging';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';

/** One live connection and the JetStream contexts over it. */
export interface NatsLink {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** False while the client is between a lost connection and a successful reconnect. */
  isConnected(): boolean;
  /** Calls `listener` each time the client has reconnected; returns the function that removes it. */
  onReconnect(listener: () => void): () => void;
}

export interface LinkProvider {
  /** The connection, opened on first use; rejects while the server cannot be reached, or once closed. */
  get(): Promise<NatsLink>;
  /** Drains the connection (pending acks and publishes go out first), then closes it. */
  close(): Promise<void>;
}

export interface LinkOptions {
  url: string;
  name: string;
  requestTimeoutMs: number;
  logger: TransportLogger;
}

/**
 * Opens the connection lazily, so creating a transport never throws for an unreachable broker; a failed
 * first attempt is retried by the next caller. Once open, the client reconnects by itself forever and
 * pull consumers resume after it does; a connection that closes anyway is replaced on next use.
 */
export function createLinkProvider(options: LinkOptions): LinkProvider {
  let current: Promise<NatsLink> | undefined;
  let closing = false;

  const start = (): Promise<NatsLink> => {
    const attempt: Promise<NatsLink> = open(options, () => {
      if (current === attempt) current = undefined;
      if (!closing) options.logger.error({}, 'NATS connection closed unexpectedly; reopening on next use');
    });
    current = attempt;
    attempt.catch(() => {
      if (current === attempt) current = undefined;
    });
    return attempt;
  };

  return {
    get: () => (closing ? Promise.reject(new Error('NATS transport is closed')) : (current ?? start())),
    close: async () => {
      closing = true;
      const link = await current?.catch(() => undefined);
      current = undefined;
      if (!link || link.nc.isClosed()) return;
      // Draining waits for the server; if it is unreachable, give up on it and close outright.
      const timeout = setTimeout(() => void link.nc.close(), options.requestTimeoutMs);
      try {
        await link.nc.drain();
      } catch {
        await link.nc.close();
      } finally {
        clearTimeout(timeout);
      }
    },
  };
}

async function open(options: LinkOptions, onClosed: () => void): Promise<NatsLink> {
  const nc = await connect({
    servers: options.url.split(',').map((server) => server.trim()),
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    // A half-open TCP connection is noticed within about 15 s rather than the default 4 minutes.
    pingInterval: 5_000,
    maxPingOut: 3,
    timeout: options.requestTimeoutMs,
  });
  let connected = true;
  const reconnectListeners = new Set<() => void>();
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') {
        connected = false;
        options.logger.warn({ server: status.server }, 'NATS connection lost; reconnecting');
      } else if (status.type === 'reconnect') {
        connected = true;
        options.logger.info({ server: status.server }, 'NATS connection restored');
        for (const listener of [...reconnectListeners]) listener();
      }
    }
  })();
  void nc.closed().then(() => {
    connected = false;
    onClosed();
  });
  const jsOptions = { timeout: options.requestTimeoutMs };
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc, jsOptions);
  } catch (error) {
    await nc.close();
    throw error;
  }
  return {
    nc,
    js: jetstream(nc, jsOptions),
    jsm,
    isConnected: () => connected && !nc.isClosed(),
    onReconnect: (listener) => {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
  };
}
