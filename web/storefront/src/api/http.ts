/**
 * Every call to the gateway goes through here: JSON in, the answer checked against the contract's zod
 * schema out, problem+json turned into an `ApiError` a page can explain, and an expired access token
 * renewed once with the refresh token.
 */
import type { z } from 'zod';
import { TokenResponseSchema } from '@talad/contracts-identity';
import { session } from '../session.ts';

export interface FieldError {
  readonly name: string;
  readonly message: string;
}

/** A refused or failed call. `status` 0: the gateway could not be reached at all. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fieldErrors: readonly FieldError[];
  constructor(status: number, code: string, message: string, fieldErrors: readonly FieldError[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fieldErrors = fieldErrors;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  /** Sends the signed-in person's bearer token. */
  auth?: boolean;
  signal?: AbortSignal;
}

export async function apiRequest<S extends z.ZodType>(
  schema: S,
  path: string,
  options: RequestOptions = {},
): Promise<z.output<S>> {
  let response = await send(path, options);
  if (response.status === 401 && options.auth && (await refreshTokens())) response = await send(path, options);
  if (response.status === 401 && options.auth) session.signOut();
  const body = await readBody(response);
  if (!response.ok) throw problemOf(response.status, body);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(
      response.status,
      'UNEXPECTED_ANSWER',
      'The shop answered in a way this page does not understand.',
    );
  }
  return parsed.data;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const token = session.tokens()?.accessToken;
  if (options.auth && token) headers['authorization'] = `Bearer ${token}`;
  try {
    return await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, 'NETWORK', 'We cannot reach the shop right now. Check your connection and try again.');
  }
}

let refreshing: Promise<boolean> | undefined;

/** One refresh at a time, however many calls found the token expired together. */
function refreshTokens(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = session.tokens()?.refreshToken;
    if (!refreshToken) return false;
    try {
      const response = await fetch('/api/identity/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
      });
      const tokens = TokenResponseSchema.safeParse(await readBody(response));
      if (!response.ok || !tokens.success) return false;
      session.signIn({ accessToken: tokens.data.access_token, refreshToken: tokens.data.refresh_token });
      return true;
    } catch {
      return false;
    } finally {
      refreshing = undefined;
    }
  })();
  return refreshing;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

interface ProblemBody {
  code?: unknown;
  detail?: unknown;
  title?: unknown;
  errors?: unknown;
}

function problemOf(status: number, body: unknown): ApiError {
  const problem = (typeof body === 'object' && body !== null ? body : {}) as ProblemBody;
  const code = typeof problem.code === 'string' ? problem.code : `HTTP_${status}`;
  const fieldErrors = Array.isArray(problem.errors)
    ? (problem.errors as unknown[]).flatMap((error) => {
        const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
        return typeof name === 'string' && typeof message === 'string' ? [{ name, message }] : [];
      })
    : [];
  if (status >= 500 || status === 429) {
    const message =
      status === 429
        ? 'Too many requests just now. Please wait a few seconds and try again.'
        : 'This part of the shop is not available right now. Please try again in a moment.';
    return new ApiError(status, code, message, fieldErrors);
  }
  const detail = typeof problem.detail === 'string' ? problem.detail : undefined;
  const title = typeof problem.title === 'string' ? problem.title : undefined;
  return new ApiError(status, code, detail ?? title ?? `The shop refused the request (${status}).`, fieldErrors);
}

/** What to show for any error: an `ApiError`'s message, or a general apology. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Please try again.';
}
