import { describe, expect, it } from 'vitest';
import { SearchProductsQuerySchema, type SearchProductsQuery } from '@talad/contracts-catalog';
import { buildSearchSql, escapeLike, hasSearchText, MAX_QUERY_WORDS, orderBy, searchWords } from './search-query.ts';

const query = (input: Record<string, unknown> = {}): SearchProductsQuery => SearchProductsQuerySchema.parse(input);

/** The SQL from a marker up to the end of its parenthesised part. */
function section(text: string, marker: string): string {
  const start = text.indexOf(marker);
  if (start < 0) throw new Error(`no ${marker} in SQL`);
  return text.slice(start, text.indexOf('\n)', start));
}

describe('searchWords', () => {
  it('splits on everything but letters, marks and digits, lower-cased', () => {
    expect(searchWords('Adidas NMD_R1').map((w) => w.word)).toEqual(['adidas', 'nmd', 'r1']);
    expect(searchWords("Levi's 501").map((w) => w.word)).toEqual(['levi', 's', '501']);
  });

  it('treats SQL, LIKE, regex and tsquery metacharacters as separators, never as syntax', () => {
    const hostile = `%_' \\ .* ( ) :* & | ! <-> '' ; -- /* */ $1 \0`;
    expect(searchWords(hostile)).toEqual([{ word: '1', correctable: false, prefixPattern: '1%' }]);
    expect(searchWords("nike' OR 1=1; DROP TABLE products; --").map((w) => w.word)).toEqual([
      'nike',
      'or',
      '1',
      'drop',
      'table',
      'products',
    ]);
    for (const { word } of searchWords('a&b|c!d(e)f:*g<h>i\\j%k_l')) expect(word).toMatch(/^[\p{L}\p{M}\p{N}]+$/u);
  });

  it('keeps other scripts whole, Thai vowel and tone marks included', () => {
    expect(searchWords('ผ้าไหม  Kånken').map((w) => w.word)).toEqual(['ผ้าไหม', 'kånken']);
  });

  it('normalises full-width and compatibility characters (NFKC)', () => {
    expect(searchWords('ＡＤＩＤＡＳ ＮＭＤ').map((w) => w.word)).toEqual(['adidas', 'nmd']);
  });

  it('drops repeats and words beyond the limit', () => {
    expect(searchWords('nike NIKE Nike').map((w) => w.word)).toEqual(['nike']);
    const many = Array.from({ length: 20 }, (_, i) => `word${i}`).join(' ');
    expect(searchWords(many)).toHaveLength(MAX_QUERY_WORDS);
  });

  it('corrects only words of three or more characters that are not plain numbers', () => {
    expect(searchWords('addidas nm 16 r1 iphone15').map((w) => [w.word, w.correctable])).toEqual([
      ['addidas', true],
      ['nm', false],
      ['16', false],
      ['r1', false],
      ['iphone15', true],
    ]);
  });

  it('has no words for empty or punctuation-only text', () => {
    expect(searchWords(undefined)).toEqual([]);
    expect(searchWords('')).toEqual([]);
    expect(searchWords("%_'\\.*(:*&|!")).toEqual([]);
  });
});

describe('escapeLike', () => {
  it('escapes the LIKE metacharacters and the escape character', () => {
    expect(escapeLike('100%_off\\')).toBe('100\\%\\_off\\\\');
  });
});

describe('hasSearchText', () => {
  it('is false for a missing or blank q', () => {
    expect(hasSearchText({})).toBe(false);
    expect(hasSearchText({ q: '   ' })).toBe(false);
    expect(hasSearchText({ q: '%' })).toBe(true);
  });
});

describe('buildSearchSql', () => {
  it('binds every value as a parameter: the query text never reaches the SQL text', () => {
    const hostile = "x'; DROP TABLE products; --";
    const { text, values } = buildSearchSql(query({ q: hostile, category: "Sneakers' OR '1'='1", brand: 'a\\b' }));
    expect(text).not.toContain('DROP');
    expect(text).not.toContain("Sneakers'");
    expect(values).toContain("Sneakers' OR '1'='1");
    expect(values).toContain('a\\b');
    expect(values).toContainEqual(['x', 'drop', 'table', 'products']);
    // Every placeholder has a value and every value a placeholder.
    const placeholders = new Set([...text.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
    expect([...placeholders].sort((a, b) => a - b)).toEqual(values.map((_, index) => index + 1));
  });

  it('never builds tsquery text from input: only fixed to_tsquery templates over single words', () => {
    const { text } = buildSearchSql(query({ q: 'addidas nmd' }));
    expect(text).toContain("to_tsquery('simple', w.word || ':*')");
    expect(text).not.toMatch(/websearch_to_tsquery|string_agg/);
  });

  it('ranks exact matches above corrections and falls back to trigram similarity', () => {
    const { text } = buildSearchSql(query({ q: 'addidas nmd' }));
    expect(text).toContain('CASE WHEN p.search_vector @@ (SELECT exact FROM query) THEN 2 ELSE 1 END AS tier');
    expect(text).toContain('ts_rank(p.search_vector, (SELECT corrected FROM query), 32) AS score');
    expect(text).toContain('NOT EXISTS (SELECT 1 FROM word_matches)');
    expect(text).toContain('<% p.search_text');
    expect(text).toMatch(/ORDER BY m\.tier DESC, m\.score DESC, m\.tiebreak DESC, m\.id ASC/);
  });

  it('corrects a word only when no known word starts with it, to its nearest known words', () => {
    const { text, values } = buildSearchSql(query({ q: 'snekers' }));
    expect(text).toContain('NOT EXISTS (SELECT 1 FROM search_words k WHERE k.word LIKE w.prefix)');
    expect(text).toContain('levenshtein(s.word, w.word)');
    expect(text).toContain('c.score >= c.best * 0.9');
    expect(values).toContainEqual(['snekers%']);
    expect(values).toContainEqual([true]);
  });

  it('matches nothing, without touching an index, when the text has no searchable word', () => {
    const { text, values } = buildSearchSql(query({ q: "%_'\\.*(:*&|!" }));
    expect(text).toContain('WHERE FALSE');
    expect(text).not.toContain('word_similarity');
    expect(values).toEqual([24, 0]);
  });

  it('filters price in the matched set, and category and brand after it', () => {
    const { text, values } = buildSearchSql(
      query({ q: 'shoes', category: 'Sneakers', brand: 'Nike', minPrice: '100000', maxPrice: '500000' }),
    );
    expect(text).toMatch(/p\.price_amount >= \$\d+/);
    expect(text).toMatch(/p\.price_amount <= \$\d+/);
    expect(values).toEqual(expect.arrayContaining([100_000, 500_000, 'Sneakers', 'Nike']));
    const filtered = section(text, 'filtered AS');
    expect(filtered).toMatch(/m\.category = \$\d+ AND m\.brand = \$\d+/);
  });

  it('leaves out filters that were not asked for', () => {
    const { text, values } = buildSearchSql(query({}));
    expect(text).not.toContain('price_amount >=');
    expect(text).not.toContain('price_amount <=');
    expect(text).not.toContain('m.category =');
    expect(text).not.toContain('m.brand =');
    expect(values).toEqual([24, 0]);
  });

  it('counts the category facet without the category filter and the brand facet without the brand filter', () => {
    const { text } = buildSearchSql(query({ q: 'shoes', category: 'Sneakers', brand: 'Nike' }));
    const facet = (groupBy: string) =>
      text.slice(text.lastIndexOf('(SELECT', text.indexOf(groupBy)), text.indexOf(groupBy));
    const categoryFacet = facet('GROUP BY m.category');
    const brandFacet = facet('GROUP BY m.brand');
    expect(categoryFacet).toMatch(/FROM matched m WHERE m\.brand = \$\d+ $/);
    expect(categoryFacet).not.toContain('m.category =');
    expect(brandFacet).toMatch(/FROM matched m WHERE m\.category = \$\d+ $/);
    expect(brandFacet).not.toContain('m.brand =');
  });

  it('pages with LIMIT and OFFSET from page and pageSize', () => {
    const { text, values } = buildSearchSql(query({ page: '3', pageSize: '7' }));
    const [, limit, offset] = /LIMIT \$(\d+) OFFSET \$(\d+)/.exec(text) ?? [];
    expect(values[Number(limit) - 1]).toBe(7);
    expect(values[Number(offset) - 1]).toBe(14);
  });

  it('orders by the requested sort', () => {
    expect(buildSearchSql(query({ sort: 'price_asc' })).text).toContain('ORDER BY m.price_amount ASC, m.id ASC');
    expect(buildSearchSql(query({ sort: 'price_desc' })).text).toContain('ORDER BY m.price_amount DESC, m.id DESC');
    expect(buildSearchSql(query({ sort: 'newest' })).text).toContain('ORDER BY m.created_at DESC, m.id DESC');
  });

  it('sorts by newest when relevance is asked for without search text', () => {
    expect(buildSearchSql(query({ sort: 'relevance' })).text).toContain('ORDER BY m.created_at DESC, m.id DESC');
    expect(buildSearchSql(query({ q: '   ' })).text).not.toContain('word_matches');
  });

  it('browses without materialising, so a sort can read its index and stop at the page', () => {
    const { text } = buildSearchSql(query({ category: 'Sneakers', sort: 'price_asc' }));
    expect(text).toContain('matched AS NOT MATERIALIZED');
    expect(text).not.toContain('search_vector');
  });
});

describe('orderBy', () => {
  it('ends every order with the unique id, so paging neither repeats nor skips', () => {
    for (const sort of ['relevance', 'price_asc', 'price_desc', 'newest'] as const) {
      for (const keyword of [true, false]) expect(orderBy(sort, keyword)).toMatch(/m\.id (ASC|DESC)$/);
    }
  });
});
