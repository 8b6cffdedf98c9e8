/**
 * The URL of the broker a transport's suites run against, from `variable` (`RABBITMQ_URL`, `NATS_URL`), or,
 * when it is not set, the reason they are skipped, printed on the console. Under `CI=true` a skipped
 * suite fails the run (tools/vitest/summary-reporter.ts).
 *
 * @example
 * const { url, skipReason } = brokerFromEnvironment('RABBITMQ_URL', 'RabbitMQ');
 * describeMessagingConformance('RabbitMQ', () => createRabbitMqTransport({ url: url ?? '' }), { skipReason });
 */
export function brokerFromEnvironment(
  variable: string,
  transportName: string,
): { url: string | undefined; skipReason: string | undefined } {
  const url = process.env[variable];
  if (url) return { url, skipReason: undefined };
  const skipReason = `${variable} is not set`;
  process.stderr.write(`${transportName}: ${skipReason}, so its messaging suites in this file are skipped\n`);
  return { url: undefined, skipReason };
}

/** A name no other test run uses (letters, digits, `_`): a prefix for a run's queues, streams or topics. */
export function uniqueName(label: string): string {
  return `t_${label}_${Date.now().toString(36)}${Math.floor(Math.random() * 0xffffff)
    .toString(16)
    .padStart(6, '0')}`;
}
