interface Closable {
  close(): Promise<void>;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * Closes a channel or a connection and resolves once it is closed, however that happens. amqplib's
 * `close()` waits for the broker's close-ok, which never comes if the connection dies first; the
 * 'close' event does come. Closing what is already closed resolves too.
 *
 * @example
 * await closeQuietly(channel);
 */
export function closeQuietly(resource: Closable): Promise<void> {
  return new Promise((resolve) => {
    resource.once('close', () => resolve());
    resource.close().then(
      () => resolve(),
      () => resolve(),
    );
  });
}
