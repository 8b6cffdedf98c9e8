-- The catalog's products and the search model over them.
--
-- Search (see src/products/search-query.ts) combines three PostgreSQL techniques:
--   1. full-text search over a weighted tsvector (name and brand A, category B, description C);
--   2. "did you mean": each query word that no catalogue word starts with is corrected to its nearest
--      words in the search_words dictionary (pg_trgm similarity and fuzzystrmatch edit distance),
--      then searched as in 1;
--   3. a last resort when 1 and 2 find nothing: trigram word similarity of the whole query against
--      search_text (name + brand), which catches run-together or split words ("airmax", "ultra boost").

-- Both are trusted extensions: the database owner may create them without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

CREATE TABLE products (
  id uuid PRIMARY KEY,
  sku text NOT NULL UNIQUE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  description text NOT NULL DEFAULT '',
  brand text NOT NULL CHECK (length(brand) BETWEEN 1 AND 100),
  category text NOT NULL CHECK (length(category) BETWEEN 1 AND 100),
  -- Money: integer minor units (satang) and a currency code; never floating point.
  price_amount bigint NOT NULL CHECK (price_amount >= 0),
  currency char(3) NOT NULL DEFAULT 'THB' CHECK (currency = 'THB'),
  sizes text[] NOT NULL DEFAULT '{}',
  image_url text NOT NULL,
  -- The average rating; NULL while nobody has rated the product.
  rating numeric(2, 1) CHECK (rating BETWEEN 1.0 AND 5.0),
  rating_count integer NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((rating IS NULL) = (rating_count = 0)),
  -- Name, brand and category keep their surface words ('simple': no stemming, no stop words), so prefixes
  -- and brand names match as typed; the description is stemmed ('english'). Queries ask both forms.
  search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, name), 'A') ||
    setweight(to_tsvector('simple'::regconfig, brand), 'A') ||
    setweight(to_tsvector('simple'::regconfig, category), 'B') ||
    setweight(to_tsvector('english'::regconfig, description), 'C')
  ) STORED,
  -- What the whole-query trigram fallback compares against.
  search_text text GENERATED ALWAYS AS (name || ' ' || brand) STORED
);

-- GIN indexes buffer new entries in a pending list that every search scans linearly until a vacuum
-- merges it: the seed vacuums after its bulk insert (src/seed/insert.ts).
CREATE INDEX products_search_vector_idx ON products USING gin (search_vector);
CREATE INDEX products_search_text_trgm_idx ON products USING gin (search_text gin_trgm_ops);

-- Filters and sorts. Every sort ends with id, the unique tiebreaker that makes paging stable.
CREATE INDEX products_category_price_idx ON products (category, price_amount, id);
CREATE INDEX products_category_created_idx ON products (category, created_at, id);
CREATE INDEX products_brand_price_idx ON products (brand, price_amount, id);
CREATE INDEX products_price_idx ON products (price_amount, id);
CREATE INDEX products_created_idx ON products (created_at, id);

-- The dictionary of known words (from names, brands and categories) that misspelt query words are
-- corrected to. Short words and plain numbers are left out: correcting "15" to "16" helps nobody.
-- It is small (about a thousand words for 12,000 products) and scanned whole for each misspelt word,
-- because the score combines trigram similarity with edit distance, which no index serves; the
-- C collation lets the primary key serve the `LIKE 'word%'` prefix test.
CREATE TABLE search_words (
  word text COLLATE "C" PRIMARY KEY
);

-- The words of a text as the text-search parser sees them: plain words and the parts of hyphenated
-- words (tokens 1, 2, 3, 9, 10, 11), lower-cased. Never URLs, file names or other tokens whose
-- characters mean something in tsquery syntax.
CREATE FUNCTION search_words_of(input text) RETURNS SETOF text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT DISTINCT lower(token)
  FROM ts_parse('default', input)
  WHERE tokid IN (1, 2, 3, 9, 10, 11)
    AND length(token) >= 3
    AND token !~ '^[0-9]+$'
$$;

-- Rebuilds the dictionary from scratch, dropping words no product uses any more.
CREATE FUNCTION refresh_search_words() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  word_count integer;
BEGIN
  DELETE FROM search_words;
  INSERT INTO search_words (word)
  SELECT DISTINCT w FROM products p, search_words_of(p.name || ' ' || p.brand || ' ' || p.category) AS w;
  GET DIAGNOSTICS word_count = ROW_COUNT;
  RETURN word_count;
END
$$;

-- New and changed products add their words as they are written (one statement-level trigger per event:
-- transition tables allow only one event per trigger).
CREATE FUNCTION products_add_search_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_words (word)
  SELECT DISTINCT w FROM changed p, search_words_of(p.name || ' ' || p.brand || ' ' || p.category) AS w
  ON CONFLICT (word) DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER products_search_words_insert
AFTER INSERT ON products REFERENCING NEW TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION products_add_search_words();

CREATE TRIGGER products_search_words_update
AFTER UPDATE ON products REFERENCING NEW TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION products_add_search_words();

-- AND and OR over a set of tsquery values, so a query can be assembled from per-word parts without
-- ever building tsquery text (whose syntax errors would be 500s).
CREATE AGGREGATE tsquery_and_all(tsquery) (SFUNC = tsquery_and, STYPE = tsquery);
CREATE AGGREGATE tsquery_or_all(tsquery) (SFUNC = tsquery_or, STYPE = tsquery);
