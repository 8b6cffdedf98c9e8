import type { NatsLink } from './connection.ts';
import type { NatsTransportSettings } from './options.ts';
import { ensureStream } from './topology.ts';

/** Remembers which topics' streams exist, so only the first publish or consume of a topic asks the server. */
export interface StreamRegistry {
  /** The stream name for `topic`, creating the stream if needed. */
  ensure(link: NatsLink, topic: string): Promise<string>;
  /** Asks the server again next time, e.g. after a publish found no stream for its subject. */
  forget(topic: string): void;
}

export function createStreamRegistry(settings: NatsTransportSettings): StreamRegistry {
  const known = new Map<string, Promise<string>>();
  return {
    ensure(link, topic) {
      let stream = known.get(topic);
      if (!stream) {
        stream = ensureStream(link.jsm, settings, topic);
        known.set(topic, stream);
        stream.catch(() => known.delete(topic));
      }
      return stream;
    },
    forget(topic) {
      known.delete(topic);
    },
  };
}
