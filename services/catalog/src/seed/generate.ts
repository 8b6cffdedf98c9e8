import {
  AUTHOR_NAMES,
  BOOK_TITLE_WORDS,
  CATEGORIES,
  CLOSERS,
  NON_FICTION_TITLES,
  TECH_TITLES,
  type BrandSpec,
  type CategorySpec,
  type SizeKind,
} from './catalog-data.ts';
import { createRandom, type Random } from './random.ts';

/** A product as the seed writes it: the database row, in camelCase. */
export interface SeedProduct {
  id: string;
  sku: string;
  name: string;
  description: string;
  brand: string;
  category: string;
  /** Satang. */
  priceAmount: number;
  currency: 'THB';
  sizes: string[];
  imageUrl: string;
  /** 1.0..5.0 with one decimal; null when nobody has rated it. */
  rating: number | null;
  ratingCount: number;
  /** ISO 8601, UTC. */
  createdAt: string;
  updatedAt: string;
}

export const DEFAULT_SEED = 20_240_101;

/** The one product every demo searches for. */
export const POCA_SHOE_NMD = {
  name: 'POCA SHOE NMD Sneakers',
  brand: 'POCA SHOE',
  category: 'Sneakers',
  priceAmount: 39_900,
} as const;

const FIRST_CREATED = Date.UTC(2024, 0, 1);
const LAST_CREATED = Date.UTC(2026, 5, 30, 23, 59, 59);
const DAY_SECONDS = 86_400;

const SHOE_RANGES: readonly (readonly [number, number])[] = [
  [36, 41],
  [39, 46],
  [36, 45],
  [38, 45],
  [40, 46],
];
const CLOTHING_SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];
const WAIST_SIZES = ['28', '29', '30', '31', '32', '33', '34', '36', '38'];
const DISCOUNTS = [1, 1, 1, 1, 1, 0.9, 0.85, 0.8, 0.75, 1.05];
const THAI_BOOK_TITLES = ['บ้านริมน้ำ', 'ตลาดน้ำยามเช้า', 'สวนมะม่วงของยาย', 'จดหมายถึงแม่', 'เรื่องเล่าจากเชียงใหม่', 'ทะเลในฤดูฝน'];
const THAI_PUBLISHERS = new Set(['Nanmeebooks', 'Amarin', 'SE-ED', 'Matichon']);

/**
 * Generates the seed catalogue: about 12,000 products over 16 categories, the same on every run for
 * the same seed (a seeded PRNG; no `Math.random()`, no clock). Exactly one product is
 * "POCA SHOE NMD Sneakers" at 399 THB.
 */
export function generateCatalog(seed: number = DEFAULT_SEED): SeedProduct[] {
  const random = createRandom(seed);
  const products: SeedProduct[] = [];
  for (const category of CATEGORIES) {
    for (let index = 0; index < category.count; index++) {
      const sequence = products.length + 1;
      products.push(
        category.name === POCA_SHOE_NMD.category && index === 0
          ? pocaShoeNmd(random, category, sequence)
          : generateProduct(random, category, sequence),
      );
    }
  }
  return products;
}

function generateProduct(random: Random, category: CategorySpec, sequence: number): SeedProduct {
  const brand = random.weighted(category.brands, (candidate) => candidate.weight);
  const [edition, editionFactor] = random.pick(category.editions);
  const colour = random.pick(category.colours);
  const { model, baht, author } = category.name === 'Books' ? bookTitle(random, brand) : modelOf(random, brand);
  const name = category.formatName({ brand: brand.name, model, edition, colour, noun: category.noun });
  const fill = (template: string): string =>
    template.replaceAll('{brand}', brand.name).replaceAll('{model}', model).replaceAll('{noun}', category.noun);
  const description = [
    fill(random.pick(category.intros)),
    random.pick(category.features),
    colour ? `Colour: ${colour}.` : '',
    author ? `Written by ${author}.` : '',
    fill(random.pick(CLOSERS)),
  ]
    .filter(Boolean)
    .join(' ');
  const times = timestamps(random);
  const rated = rating(random);
  return {
    id: uuidV7(Date.parse(times.createdAt), random),
    sku: sku(category, brand.code, sequence),
    name,
    description,
    brand: brand.name,
    category: category.name,
    priceAmount: thaiPrice(baht * editionFactor * random.pick(DISCOUNTS), random),
    currency: 'THB',
    sizes: sizesFor(category.sizeKind, random),
    imageUrl: imageUrl(category),
    ...rated,
    ...times,
  };
}

function pocaShoeNmd(random: Random, category: CategorySpec, sequence: number): SeedProduct {
  const times = timestamps(random);
  return {
    id: uuidV7(Date.parse(times.createdAt), random),
    sku: sku(category, 'PCS', sequence),
    name: POCA_SHOE_NMD.name,
    description:
      'POCA SHOE NMD Sneakers: a light knit sneaker from the Thai brand POCA SHOE, with a cushioned sole ' +
      'for all-day comfort. A breathable upper keeps feet cool in the tropical heat. ' +
      'Ships from our Bangkok warehouse within 24 hours.',
    brand: POCA_SHOE_NMD.brand,
    category: category.name,
    priceAmount: POCA_SHOE_NMD.priceAmount,
    currency: 'THB',
    sizes: range(36, 45).map(String),
    imageUrl: imageUrl(category),
    rating: 4.6,
    ratingCount: 1287,
    ...times,
  };
}

function modelOf(random: Random, brand: BrandSpec): { model: string; baht: number; author?: undefined } {
  const [model, baht] = random.pick(brand.models);
  return { model, baht };
}

function bookTitle(random: Random, publisher: BrandSpec): { model: string; baht: number; author: string } {
  const author = `${random.pick(AUTHOR_NAMES.first)} ${random.pick(AUTHOR_NAMES.last)}`;
  if (publisher.name === "O'Reilly") {
    const [title, baht] = random.pick(TECH_TITLES);
    return { model: title, baht, author };
  }
  if (THAI_PUBLISHERS.has(publisher.name) && random.chance(0.3)) {
    return { model: random.pick(THAI_BOOK_TITLES), baht: random.int(180, 390), author };
  }
  if (random.chance(0.25)) {
    const [title, baht] = random.pick(NON_FICTION_TITLES);
    return { model: title, baht, author };
  }
  const base = `The ${random.pick(BOOK_TITLE_WORDS.adjectives)} ${random.pick(BOOK_TITLE_WORDS.nouns)}`;
  const title = random.chance(0.4) ? `${base}: ${random.pick(BOOK_TITLE_WORDS.genres)}` : base;
  return { model: title, baht: random.int(250, 450), author };
}

/**
 * A Thai shelf price in satang: 99 and 399 below a thousand baht, 2,590 or 2,600 or 2,599 above,
 * 48,900 for the expensive things.
 */
export function thaiPrice(baht: number, random: Random): number {
  const style = random.next();
  let whole: number;
  if (baht < 100) {
    whole = Math.max(1, Math.round(baht / 10)) * 10 - 1;
  } else if (baht < 1000) {
    whole = Math.round(baht / 10) * 10 - (style < 0.6 ? 1 : 0);
  } else if (baht < 10_000) {
    const hundreds = Math.round(baht / 100) * 100;
    whole = style < 0.6 ? hundreds - 10 : style < 0.85 ? hundreds : hundreds - 1;
  } else {
    whole = style < 0.5 ? Math.round(baht / 1000) * 1000 - 100 : Math.round(baht / 100) * 100 - (style < 0.8 ? 10 : 0);
  }
  return whole * 100;
}

function sizesFor(kind: SizeKind, random: Random): string[] {
  switch (kind) {
    case 'shoes': {
      const [from, to] = random.pick(SHOE_RANGES);
      return range(from, to).map(String);
    }
    case 'clothes':
      return CLOTHING_SIZES.slice(random.int(0, 1), random.int(4, 6));
    case 'waist':
      return WAIST_SIZES.slice(random.int(0, 2), random.int(6, 9));
    case 'none':
      return [];
  }
}

function rating(random: Random): { rating: number | null; ratingCount: number } {
  if (random.chance(0.04)) return { rating: null, ratingCount: 0 };
  const ratingCount = Math.max(1, Math.floor(Math.exp(random.next() * Math.log(5000))));
  // Most products sit between 3.5 and 5; a few are poorly rated; few ratings spread wider.
  const spread = ratingCount < 10 ? 1.6 : 0.8;
  const centre = random.chance(0.04) ? 2.2 : 4.3;
  const value = centre + (random.next() + random.next() + random.next() - 1.5) * spread;
  return { rating: Math.round(Math.min(5, Math.max(1, value)) * 10) / 10, ratingCount };
}

function timestamps(random: Random): { createdAt: string; updatedAt: string } {
  const created = FIRST_CREATED + random.int(0, (LAST_CREATED - FIRST_CREATED) / 1000) * 1000;
  const updated = Math.min(LAST_CREATED, created + (random.chance(0.5) ? 0 : random.int(0, 120 * DAY_SECONDS) * 1000));
  return { createdAt: new Date(created).toISOString(), updatedAt: new Date(updated).toISOString() };
}

/** A UUIDv7 (RFC 9562) for the given time whose random bits come from the seeded PRNG. */
export function uuidV7(milliseconds: number, random: Random): string {
  const hex = (value: number, length: number): string => value.toString(16).padStart(length, '0');
  const time = hex(milliseconds, 12);
  const randA = random.uint32() & 0xfff;
  const high = random.uint32();
  const low = random.uint32();
  const variant = 0x8000 | ((high >>> 16) & 0x3fff);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hex(randA, 3)}-${hex(variant, 4)}-${hex(high & 0xffff, 4)}${hex(low, 8)}`;
}

function sku(category: CategorySpec, brandCode: string, sequence: number): string {
  return `${category.code}-${brandCode}-${String(sequence).padStart(6, '0')}`;
}

function imageUrl(category: CategorySpec): string {
  return `/images/products/${category.slug}.svg`;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, offset) => from + offset);
}
