import type { ServiceApp } from '@talad/service';

/** A parsed form: a repeated field keeps all its values, so the token endpoint can refuse it (RFC 6749 §3.2). */
export type FormBody = Record<string, string | string[]>;

const FORM_BODY_LIMIT_BYTES = 16_384;

/**
 * Parses `application/x-www-form-urlencoded` bodies (the OAuth token endpoint's format) with
 * URLSearchParams: no dependency, and field names become plain own properties (`__proto__` included),
 * never prototype changes.
 *
 * @example
 * registerFormBodyParser(app);
 * app.post('/token', async (request) => (request.body as FormBody)['grant_type']);
 */
export function registerFormBodyParser(app: ServiceApp): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT_BYTES },
    (_request, body, done) => {
      done(null, parseForm(String(body)));
    },
  );
}

export function parseForm(body: string): FormBody {
  const fields = new Map<string, string | string[]>();
  for (const [name, value] of new URLSearchParams(body)) {
    const seen = fields.get(name);
    fields.set(name, seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value]);
  }
  return Object.fromEntries(fields);
}
