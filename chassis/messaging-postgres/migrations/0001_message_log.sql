-- The PostgreSQL message log: a broker in a database. Every topic is split into partitions by key, and
-- a partition is read in position order. Publishers of a partition take turns (an advisory lock held
-- until their commit), so positions within a partition become visible in order, with no gaps a reader
-- could skip over (see postgres-transport.ts).
CREATE TABLE message_log (
  topic text NOT NULL,
  partition integer NOT NULL,
  -- CACHE 1 (the default) matters: positions must grow in the order they are taken, across sessions.
  position bigint GENERATED ALWAYS AS IDENTITY,
  id text NOT NULL,
  key text NOT NULL,
  body bytea NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topic, partition, position)
);

-- Publishing the same message id to a topic twice (a relay retrying after a lost confirm) stores it once.
CREATE UNIQUE INDEX message_log_topic_id ON message_log (topic, id);

-- How far each consumer group has handled each partition: the position of its last handled message.
CREATE TABLE message_log_positions (
  consumer_group text NOT NULL,
  topic text NOT NULL,
  partition integer NOT NULL,
  position bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  moved_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, topic, partition)
);

-- Every instance must split topics into the same number of partitions, or keys would change partition.
CREATE TABLE message_log_settings (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  partitions integer NOT NULL CHECK (partitions > 0)
);
