export interface CorsOptions {
  /**
   * Origins whose pages may call the API from a browser, like `https://admin.talad.example`, or `'*'`
   * for any. None by default: the storefront is served by the gateway itself, from the same origin.
   */
  allowedOrigins: readonly string[] | '*';
  /** Let browsers send cookies cross-origin. Off: the API authenticates with bearer tokens. */
  allowCredentials?: boolean;
  /** How long a browser may reuse a preflight answer. */
  maxAgeSeconds?: number;
}

const METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const DEFAULT_ALLOWED_HEADERS = 'authorization, content-type, idempotency-key, if-none-match, x-request-id';
// Response headers a cross-origin page may read besides the basic ones.
const EXPOSED = 'etag, retry-after, x-cache, x-request-id, traceparent';

/** What CORS adds to an answer for a given Origin. */
export interface CorsPolicy {
  /** Headers for an actual (non-preflight) request; undefined when the origin is not allowed. */
  forRequest(origin: string): Readonly<Record<string, string>> | undefined;
  /** Headers answering a preflight; undefined when the origin is not allowed. */
  forPreflight(origin: string, requestedHeaders: string | undefined): Record<string, string> | undefined;
}

/**
 * @example
 * const cors = corsPolicy({ allowedOrigins: ['https://admin.talad.example'] });
 * cors.forPreflight('https://admin.talad.example', 'authorization'); // { 'access-control-allow-origin': … }
 */
export function corsPolicy(options: CorsOptions): CorsPolicy {
  const anyOrigin = options.allowedOrigins === '*';
  const allowed = new Set(anyOrigin ? [] : options.allowedOrigins);
  const credentials = options.allowCredentials === true;
  // A fixed `*` needs no Vary; an echoed origin does, or a cache would serve one origin's answer to another.
  const echo = !anyOrigin || credentials;
  const isAllowed = (origin: string): boolean => anyOrigin || allowed.has(origin);
  const base = (origin: string): Record<string, string> => ({
    'access-control-allow-origin': echo ? origin : '*',
    ...(echo ? { vary: 'Origin' } : {}),
    ...(credentials ? { 'access-control-allow-credentials': 'true' } : {}),
  });
  const requestHeaders = new Map<string, Readonly<Record<string, string>>>();
  return {
    forRequest(origin) {
      if (!isAllowed(origin)) return undefined;
      let headers = requestHeaders.get(origin);
      if (!headers) {
        headers = { ...base(origin), 'access-control-expose-headers': EXPOSED };
        if (requestHeaders.size < 1_000) requestHeaders.set(origin, headers);
      }
      return headers;
    },
    forPreflight(origin, requestedHeaders) {
      if (!isAllowed(origin)) return undefined;
      return {
        ...base(origin),
        'access-control-allow-methods': METHODS,
        'access-control-allow-headers': requestedHeaders ?? DEFAULT_ALLOWED_HEADERS,
        'access-control-max-age': String(options.maxAgeSeconds ?? 600),
      };
    },
  };
}
