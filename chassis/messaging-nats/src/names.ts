/**
 * How topics, groups and partitions map onto JetStream names. One stream per topic; its subjects are
 * `<prefix>.<topic>.<partition>`, so a partition is a subject and a group's consumer per partition filters
 * on exactly one subject (servers before 2.10 have no multi-filter consumers).
 */

/** Carries the partition key; the message id travels as `Nats-Msg-Id`, which JetStream deduplicates on. */
export const KEY_HEADER = 'Talad-Key';

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** Subject tokens and stream/consumer names share one safe alphabet: no dots, wildcards or spaces. */
export function assertToken(what: string, value: string): void {
  if (!TOKEN.test(value)) throw new TypeError(`${what} "${value}" must match ${TOKEN.source}`);
}

/** A topic is dot-separated tokens, e.g. `ordering.events`. */
export function assertTopic(topic: string): void {
  for (const token of topic.split('.')) assertToken(`topic "${topic}" token`, token);
}

/**
 * The stream that stores a topic. Two topics that differ only in `.` versus `_` would map to one name;
 * the stream then already holds other subjects and `ensureStream` refuses it rather than mixing them.
 */
export function streamName(prefix: string, topic: string): string {
  return `${prefix}_${topic.replaceAll('.', '_')}`;
}

export function streamSubjects(prefix: string, topic: string): string {
  return `${prefix}.${topic}.*`;
}

export function partitionSubject(prefix: string, topic: string, partition: number): string {
  return `${prefix}.${topic}.${partition}`;
}

/** The durable consumer through which every instance of `group` reads one partition of a topic. */
export function consumerName(group: string, partition: number): string {
  return `${group}_p${partition}`;
}

export function isGroupConsumer(name: string, group: string): boolean {
  const prefix = consumerName(group, 0).slice(0, -1);
  return name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length));
}

/** Header values must stay on one line of ASCII; ids and keys are usually UUIDs and pass unchanged. */
export function encodeHeaderValue(value: string): string {
  return encodeURIComponent(value);
}

/** Tolerates values this adapter did not encode (a message published by hand): those pass unchanged. */
export function decodeHeaderValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
