/**
 * Rejects with `message` if `work` has not settled within `timeoutMs`; `work` itself goes on.
 *
 * @example
 * await withTimeout(channel.checkExchange('amq.direct'), 5_000, 'RabbitMQ did not answer in time');
 */
export async function withTimeout<T>(work: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
