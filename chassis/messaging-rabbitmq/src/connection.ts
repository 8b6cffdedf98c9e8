import { connect, type ChannelModel } from 'amqplib';
import { backoffDelay, type RetryPolicy, type TransportLogger } from '@talad/messaging';
import { closeQuietly } from './close-quietly.ts';

export interface BrokerConnectionOptions {
  readonly url: string;
  /** Shown by `rabbitmqctl list_connections client_properties`, so a connection tells whose it is. */
  readonly name: string;
  readonly logger: TransportLogger;
  readonly backoff?: Pick<RetryPolicy, 'initialDelayMs' | 'maxDelayMs'>;
}

/** One AMQP connection that comes back by itself after the broker restarts or the network cuts it. */
export interface BrokerConnection {
  /** The open connection. Waits for an attempt in progress; rejects at once while the broker is away. */
  current(): Promise<ChannelModel>;
  /** The open connection, waiting out any outage; rejects only once closed or `signal` aborts. */
  whenConnected(signal?: AbortSignal): Promise<ChannelModel>;
  /** Aborted by `close`: sleeps and retry loops tied to the connection end with it. */
  readonly closed: AbortSignal;
  close(): Promise<void>;
}

// A cut network is noticed after two missed heartbeats; the broker's default of 60 s is long for that.
const DEFAULT_HEARTBEAT_SECONDS = 10;
const CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_BACKOFF = { initialDelayMs: 100, maxDelayMs: 5_000 };

/**
 * Connects at once and keeps reconnecting with backoff until closed. Whoever needs the connection
 * after an outage (consumers re-subscribing, the publisher's channel) asks for it again.
 *
 * @example
 * const connection = openBrokerConnection({ url, name: 'ordering@host:123', logger });
 * const channel = await (await connection.current()).createConfirmChannel();
 */
export function openBrokerConnection(options: BrokerConnectionOptions): BrokerConnection {
  const { logger } = options;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const url = withDefaultHeartbeat(options.url);
  const lifetime = new AbortController();
  let open: ChannelModel | undefined;
  let attempt: Promise<ChannelModel> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  let opened = 0;
  let waiters: Array<{ resolve: (model: ChannelModel) => void; reject: (error: Error) => void }> = [];

  const scheduleReconnect = (): void => {
    if (lifetime.signal.aborted || retryTimer || attempt) return;
    const wait = backoffDelay(failures + 1, backoff);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connectOnce().catch(() => undefined);
    }, wait);
  };

  const onOpened = (model: ChannelModel): ChannelModel => {
    open = model;
    failures = 0;
    model.on('error', (error: Error) => logger.warn({ err: error }, 'RabbitMQ connection error'));
    model.on('blocked', (reason: string) => logger.warn({ reason }, 'RabbitMQ blocked publishing on this connection'));
    model.on('unblocked', () => logger.info({}, 'RabbitMQ unblocked publishing on this connection'));
    model.on('close', (error?: Error) => {
      if (open === model) open = undefined;
      if (lifetime.signal.aborted) return;
      logger.warn({ err: error }, 'RabbitMQ connection lost; reconnecting');
      scheduleReconnect();
    });
    const ready = waiters;
    waiters = [];
    for (const waiter of ready) waiter.resolve(model);
    return model;
  };

  const connectOnce = (): Promise<ChannelModel> => {
    const pending = connect(url, {
      timeout: CONNECT_TIMEOUT_MS,
      clientProperties: { connection_name: options.name },
    }).then(
      (model) => {
        attempt = undefined;
        if (lifetime.signal.aborted) {
          void closeQuietly(model);
          throw new Error('RabbitMQ transport is closed');
        }
        if (opened++ > 0) logger.info({ failedAttempts: failures }, 'RabbitMQ connection restored');
        return onOpened(model);
      },
      (error: unknown) => {
        attempt = undefined;
        failures++;
        logger.warn({ err: error, failures }, 'cannot connect to RabbitMQ; retrying');
        scheduleReconnect();
        throw error;
      },
    );
    attempt = pending;
    return pending;
  };

  void connectOnce().catch(() => undefined);

  return {
    closed: lifetime.signal,
    async current() {
      if (lifetime.signal.aborted) throw new Error('RabbitMQ transport is closed');
      if (open) return open;
      if (attempt) return attempt;
      throw new Error('RabbitMQ is unreachable; reconnecting');
    },
    whenConnected(signal) {
      if (lifetime.signal.aborted) return Promise.reject(new Error('RabbitMQ transport is closed'));
      if (open) return Promise.resolve(open);
      return new Promise((resolve, reject) => {
        const waiter = {
          resolve: (model: ChannelModel) => {
            signal?.removeEventListener('abort', abandon);
            resolve(model);
          },
          reject: (error: Error) => {
            signal?.removeEventListener('abort', abandon);
            reject(error);
          },
        };
        function abandon(): void {
          waiters = waiters.filter((other) => other !== waiter);
          reject(new Error('stopped waiting for RabbitMQ'));
        }
        if (signal?.aborted) return abandon();
        signal?.addEventListener('abort', abandon, { once: true });
        waiters.push(waiter);
      });
    },
    async close() {
      if (lifetime.signal.aborted) return;
      lifetime.abort();
      clearTimeout(retryTimer);
      const pending = waiters;
      waiters = [];
      for (const waiter of pending) waiter.reject(new Error('RabbitMQ transport is closed'));
      await attempt?.catch(() => undefined);
      const model = open;
      open = undefined;
      if (model) await closeQuietly(model);
    },
  };
}

function withDefaultHeartbeat(url: string): string {
  const parsed = new URL(url);
  if (parsed.searchParams.has('heartbeat')) return url;
  parsed.searchParams.set('heartbeat', String(DEFAULT_HEARTBEAT_SECONDS));
  return parsed.toString();
}
