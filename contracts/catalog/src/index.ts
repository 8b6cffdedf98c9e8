/** The catalog's published contract: its HTTP API (search, detail, administration) and its events. */
export * from './products.ts';
export * from './admin.ts';
export * from './events.ts';
