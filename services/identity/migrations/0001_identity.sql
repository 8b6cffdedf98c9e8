-- Identity: accounts, their delivery addresses, refresh tokens, machine clients, signing keys and the
-- sign-in throttle. Every timestamp is written by the service from its clock (tests move that clock),
-- so no column defaults to now().

CREATE TABLE users (
  id uuid PRIMARY KEY,
  -- Normalised (trimmed, lower-cased) by the service; the check keeps any other writer honest.
  email text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- scrypt$<N>$<r>$<p>$<salt>$<hash>: the parameters travel with the hash, so they can be raised later.
  password_hash text NOT NULL,
  roles text[] NOT NULL CHECK (roles <@ ARRAY['customer', 'admin'] AND cardinality(roles) > 0),
  created_at timestamptz NOT NULL,
  -- Set by an admin: the account can no longer sign in, refresh, or place orders.
  disabled_at timestamptz
);

CREATE INDEX users_created_idx ON users (created_at DESC, id DESC);

CREATE TABLE addresses (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  phone text NOT NULL,
  line1 text NOT NULL,
  line2 text,
  subdistrict text NOT NULL,
  district text NOT NULL,
  province text NOT NULL,
  postal_code text NOT NULL CHECK (postal_code ~ '^[0-9]{5}$'),
  -- The Idempotency-Key of the request that created it: a retried create returns this address.
  idempotency_key text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (user_id, idempotency_key)
);

CREATE INDEX addresses_user_idx ON addresses (user_id, created_at, id);

-- One family per sign-in. Each refresh spends its token and issues the next one in the same family;
-- presenting a spent token means it was copied, so the whole family is revoked.
CREATE TABLE refresh_token_families (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text CHECK (revoked_reason IN ('sign-out', 'reuse', 'disabled'))
);

CREATE INDEX refresh_token_families_user_idx ON refresh_token_families (user_id);

CREATE TABLE refresh_tokens (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL REFERENCES refresh_token_families (id) ON DELETE CASCADE,
  -- SHA-256 of the token: the token is 256 random bits, so a fast hash is enough, and a leaked table
  -- holds nothing that can be presented.
  token_hash bytea NOT NULL UNIQUE,
  issued_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  spent_at timestamptz
);

CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

-- Machine clients of the client credentials grant. Registered from configuration at start.
CREATE TABLE clients (
  id text PRIMARY KEY,
  secret_hash text NOT NULL,
  scopes text[] NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Keys that sign access tokens. A key signs from activates_at until the next key activates; it is
-- published in the JWKS from its creation (before it signs, so verifiers know it in time) until every
-- token it signed has expired.
CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  algorithm text NOT NULL,
  public_jwk jsonb NOT NULL,
  -- {"encrypted": {...}} (AES-256-GCM under SIGNING_KEY_SECRET) or {"plain": <jwk>} when no secret is set.
  private_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  activates_at timestamptz NOT NULL UNIQUE
);

-- Failed sign-ins, counted over a sliding window per account and per client address.
CREATE TABLE sign_in_failures (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject text NOT NULL,
  failed_at timestamptz NOT NULL
);

CREATE INDEX sign_in_failures_subject_idx ON sign_in_failures (subject, failed_at);
CREATE INDEX sign_in_failures_time_idx ON sign_in_failures (failed_at);
