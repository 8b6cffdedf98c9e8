/**
 * Turns a validated search query into one SQL statement and its parameters. Pure: no I/O, so the
 * ranking rules, filters, sorts and the handling of hostile input are unit-tested without a database.
 *
 * How a keyword search works (all inside one statement):
 *
 * 1. Words. The query text is split into words of letters, marks and digits (any script), lower-cased
 *    and NFKC-normalised; everything else (`%`, `_`, `'`, `\`, `.*`, `(`, `:*`, `&|!`...) separates
 *    words and is never interpreted. Words go to PostgreSQL as bound parameters, never as SQL text.
 * 2. Exact terms. Each word becomes `word:*` (a prefix, for search-as-you-type) in both the 'simple'
 *    configuration (names, brands, categories keep their surface words) and 'english' (stemmed
 *    descriptions), OR-ed. Each to_tsquery call gets one word (letters, marks, digits: no operator can
 *    be in it) or one dictionary word, and the parts are combined as tsquery values with the
 *    tsquery_and_all / tsquery_or_all aggregates, so no input can be a tsquery syntax error.
 * 3. Corrections ("did you mean"). A word of three or more characters (not a plain number) that no known
 *    word starts with is compared with the search_words dictionary. A known word scores the better of
 *    its trigram similarity (pg_trgm) and its normalised edit distance (fuzzystrmatch levenshtein,
 *    1 - edits / length), since trigrams alone miss swapped letters in short words ("iphnoe"). The best
 *    words (score >= 0.5, up to 3, within 90 % of the best score) are OR-ed into that word's term.
 *    A word that splits into two known words ("airmax") also gets that phrase ("air <-> max").
 * 4. Matching. A product matches when its search_vector matches every word's term (AND), as typed or
 *    corrected. Only when that finds nothing, products whose name + brand are similar to the whole
 *    query by trigram word similarity (`<%`, pg_trgm.word_similarity_threshold, 0.6 by default) match:
 *    that catches split words ("ultra boost" for Ultraboost). It is a fallback only: on every query it
 *    would add loosely related products (all of Adidas for "adidas nmd") to the total and the facets,
 *    and word_similarity costs about 10 µs a row.
 * 5. Ranking. Tier 2: products matching the words as typed. Tier 1: products found only through
 *    corrections. Within each, ts_rank with normalisation 32 (name and brand weigh most, then category,
 *    then description), then popularity (rating count). Tier 0, the fallback: by trigram word
 *    similarity to the query. Ties break on id, so every order is total and paging is stable.
 *
 * Facets count the products matching the text and the price range; the category facet ignores the
 * category filter and the brand facet ignores the brand filter (each facet still offers its
 * alternatives), and each applies the other one. `total` applies every filter.
 */
import type { SearchProductsQuery, SortOrder } from '@talad/contracts-catalog';

export interface SqlQuery {
  text: string;
  values: unknown[];
}

/** More words than this are ignored: they add cost and hardly ever change the answer. */
export const MAX_QUERY_WORDS = 8;
/** Longer words are cut; a real word is never this long, and tsquery refuses very long lexemes. */
export const MAX_WORD_LENGTH = 64;
/** Shorter words are never corrected: too many words are one or two edits away from them. */
export const MIN_CORRECTABLE_LENGTH = 3;

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const NUMBER = /^\p{N}+$/u;

export interface SearchWord {
  /** Lower-case letters, marks and digits only. */
  word: string;
  /** Whether a misspelling of it may be corrected from the dictionary. */
  correctable: boolean;
  /** LIKE pattern of the known words that start with it (LIKE metacharacters escaped). */
  prefixPattern: string;
}

/** The searchable words of the query text, in order, without repeats. */
export function searchWords(q: string | undefined): SearchWord[] {
  if (q === undefined) return [];
  const words = q.normalize('NFKC').toLowerCase().match(WORD) ?? [];
  const unique = [...new Set(words.map((word) => Array.from(word).slice(0, MAX_WORD_LENGTH).join('')))];
  return unique.slice(0, MAX_QUERY_WORDS).map((word) => ({
    word,
    correctable: Array.from(word).length >= MIN_CORRECTABLE_LENGTH && !NUMBER.test(word),
    prefixPattern: `${escapeLike(word)}%`,
  }));
}

/** Escapes `\`, `%` and `_` for a LIKE pattern with the default escape character. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** True when the query has search text (even if that text has no searchable words). */
export function hasSearchText(query: Pick<SearchProductsQuery, 'q'>): boolean {
  return query.q !== undefined && query.q.trim() !== '';
}

class Parameters {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The ORDER BY of matched rows (alias `m`); every order ends with the unique id. */
export function orderBy(sort: SortOrder, keyword: boolean): string {
  switch (sort) {
    case 'relevance':
      return keyword ? 'm.tier DESC, m.score DESC, m.tiebreak DESC, m.id ASC' : orderBy('newest', false);
    case 'price_asc':
      return 'm.price_amount ASC, m.id ASC';
    case 'price_desc':
      return 'm.price_amount DESC, m.id DESC';
    case 'newest':
      return 'm.created_at DESC, m.id DESC';
  }
}

/** The product as JSON in the contract's shape (timestamps are normalised by the repository). */
export const PRODUCT_JSON = `json_build_object(
    'id', p.id, 'sku', p.sku, 'name', p.name, 'description', p.description, 'brand', p.brand,
    'category', p.category, 'price', json_build_object('amount', p.price_amount, 'currency', p.currency),
    'sizes', p.sizes, 'imageUrl', p.image_url, 'rating', p.rating, 'ratingCount', p.rating_count,
    'createdAt', p.created_at, 'updatedAt', p.updated_at)`;

/**
 * One statement answering a search: a single row with `total`, `categories`, `brands` (facets as JSON
 * arrays of { value, count }) and `items` (the page, as a JSON array of products in order).
 */
export function buildSearchSql(query: SearchProductsQuery): SqlQuery {
  const params = new Parameters();
  const keyword = hasSearchText(query);

  const priceConditions: string[] = [];
  if (query.minPrice !== undefined) priceConditions.push(`p.price_amount >= ${params.add(query.minPrice)}`);
  if (query.maxPrice !== undefined) priceConditions.push(`p.price_amount <= ${params.add(query.maxPrice)}`);
  const priceFilter = priceConditions.map((condition) => ` AND ${condition}`).join('');

  const categoryFilter = query.category === undefined ? 'TRUE' : `m.category = ${params.add(query.category)}`;
  const brandFilter = query.brand === undefined ? 'TRUE' : `m.brand = ${params.add(query.brand)}`;

  const matched = keyword ? keywordMatches(params, searchWords(query.q), priceFilter) : browseMatches(priceFilter);

  const limit = params.add(query.pageSize);
  const offset = params.add((query.page - 1) * query.pageSize);
  const order = orderBy(query.sort, keyword);

  const text = `WITH ${matched},
filtered AS ${keyword ? 'MATERIALIZED' : 'NOT MATERIALIZED'} (
  SELECT m.* FROM matched m WHERE ${categoryFilter} AND ${brandFilter}
),
page AS (
  SELECT m.id, row_number() OVER (ORDER BY ${order}) AS position
  FROM filtered m
  ORDER BY ${order}
  LIMIT ${limit} OFFSET ${offset}
)
SELECT
  (SELECT count(*)::int FROM filtered) AS total,
  (SELECT coalesce(json_agg(json_build_object('value', f.category, 'count', f.n) ORDER BY f.n DESC, f.category), '[]'::json)
     FROM (SELECT m.category, count(*)::int AS n FROM matched m WHERE ${brandFilter} GROUP BY m.category) f) AS categories,
  (SELECT coalesce(json_agg(json_build_object('value', f.brand, 'count', f.n) ORDER BY f.n DESC, f.brand), '[]'::json)
     FROM (SELECT m.brand, count(*)::int AS n FROM matched m WHERE ${categoryFilter} GROUP BY m.brand) f) AS brands,
  (SELECT coalesce(json_agg(${PRODUCT_JSON} ORDER BY pg.position), '[]'::json)
     FROM page pg JOIN products p ON p.id = pg.id) AS items`;
  return { text, values: params.values };
}

/** Without search text: every product in the price range. */
function browseMatches(priceFilter: string): string {
  // Not materialised: each use (page, total, facets) is planned on its own, so the page of a sort is
  // read from its index and stops after LIMIT rows instead of sorting the whole catalogue.
  return `matched AS NOT MATERIALIZED (
  SELECT p.id, p.category, p.brand, p.price_amount, p.created_at
  FROM products p
  WHERE TRUE${priceFilter}
)`;
}

function keywordMatches(params: Parameters, words: SearchWord[], priceFilter: string): string {
  // Text without a single searchable word ("%", ":*&|!") matches nothing. Said outright, because the
  // trigram fallback with an empty phrase could use no index and would compare every product.
  if (words.length === 0) {
    return `matched AS MATERIALIZED (
  SELECT p.id, p.category, p.brand, p.price_amount, p.created_at, 0 AS tier, 0::real AS score, 0::real AS tiebreak
  FROM products p
  WHERE FALSE
)`;
  }
  const wordList = params.add(words.map((w) => w.word));
  const prefixes = params.add(words.map((w) => w.prefixPattern));
  const correctable = params.add(words.map((w) => w.correctable));
  const phrase = params.add(words.map((w) => w.word).join(' '));
  return `words AS (
  SELECT w.ord, w.word, w.prefix, w.correctable
  FROM unnest(${wordList}::text[], ${prefixes}::text[], ${correctable}::boolean[]) WITH ORDINALITY AS w(word, prefix, correctable, ord)
),
eligible AS (
  SELECT w.* FROM words w
  WHERE w.correctable AND NOT EXISTS (SELECT 1 FROM search_words k WHERE k.word LIKE w.prefix)
),
candidates AS (
  SELECT w.ord, to_tsquery('simple', d.word) AS term, d.score
  FROM eligible w
  CROSS JOIN LATERAL (
    SELECT s.word,
           greatest(similarity(s.word, w.word),
                    1 - levenshtein(s.word, w.word)::real / greatest(length(s.word), length(w.word))) AS score
    FROM search_words s
    WHERE abs(length(s.word) - length(w.word)) <= 2 OR s.word % w.word
    ORDER BY score DESC, s.word
    LIMIT 3
  ) d
  WHERE d.score >= 0.5
  UNION ALL
  -- Run-together words: "airmax" is the phrase "air max" when both halves are known words.
  SELECT w.ord, tsquery_phrase(to_tsquery('simple', l.word), to_tsquery('simple', r.word)), 0.9::real
  FROM eligible w
  CROSS JOIN LATERAL generate_series(3, length(w.word) - 3) AS split(at)
  JOIN search_words l ON l.word = left(w.word, split.at)
  JOIN search_words r ON r.word = substr(w.word, split.at + 1)
),
ranked AS (
  SELECT c.ord, c.term, c.score, max(c.score) OVER (PARTITION BY c.ord) AS best FROM candidates c
),
terms AS (
  SELECT w.ord,
         to_tsquery('simple', w.word || ':*') || to_tsquery('english', w.word || ':*') AS exact,
         (SELECT tsquery_or_all(c.term) FROM ranked c WHERE c.ord = w.ord AND c.score >= c.best * 0.9) AS corrections
  FROM words w
),
query AS (
  SELECT tsquery_and_all(t.exact) AS exact, tsquery_and_all(coalesce(t.exact || t.corrections, t.exact)) AS corrected
  FROM terms t
),
word_matches AS MATERIALIZED (
  SELECT p.id, p.category, p.brand, p.price_amount, p.created_at,
         CASE WHEN p.search_vector @@ (SELECT exact FROM query) THEN 2 ELSE 1 END AS tier,
         ts_rank(p.search_vector, (SELECT corrected FROM query), 32) AS score,
         p.rating_count::real AS tiebreak
  FROM products p
  WHERE p.search_vector @@ (SELECT corrected FROM query)${priceFilter}
),
matched AS MATERIALIZED (
  SELECT * FROM word_matches
  UNION ALL
  SELECT p.id, p.category, p.brand, p.price_amount, p.created_at,
         0 AS tier, word_similarity(${phrase}, p.search_text) AS score, p.rating_count::real AS tiebreak
  FROM products p
  WHERE NOT EXISTS (SELECT 1 FROM word_matches) AND ${phrase} <% p.search_text${priceFilter}
)`;
}
