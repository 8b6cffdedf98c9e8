export { createProductRepository, type ProductRepository } from './product-repository.ts';
export { buildSearchSql, searchWords, type SqlQuery, type SearchWord } from './search-query.ts';
