import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDomainError, type ErrorKind } from '@talad/core';
import { ChassisErrorCode } from './error-codes.ts';

/** An RFC 9457 problem document, with the stable `code` clients branch on. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}

export interface ProblemFieldError {
  /** Where the bad value was: `query`, `params`, `body` or `headers`. */
  in: string;
  /** The parameter or the JSON pointer into the body. */
  name: string;
  message: string;
}

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  unprocessable: 422,
  'rate-limited': 429,
  unavailable: 503,
  timeout: 504,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function problemTypeFor(code: string): string {
  return `urn:talad:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

/** Builds a problem document; `title` follows from the status. */
export function problem(status: number, code: string, detail: string, extensions: Partial<Problem> = {}): Problem {
  return { type: problemTypeFor(code), title: TITLES[status] ?? 'Error', status, detail, code, ...extensions };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply
    .code(body.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({ ...body, instance: body.instance ?? reply.request.url, requestId: reply.request.id });
}

/**
 * The one place where errors become HTTP answers. Bad input is a 4xx naming what is wrong;
 * only a bug or a dead dependency is a 5xx, and its detail never leaks internals.
 */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const location = locationOf(error.validationContext);
    const errors = error.validation.map((issue) => ({
      in: location,
      name: parameterName(issue.instancePath, issue.params),
      message: issue.message ?? 'is invalid',
    }));
    const named = errors.map((field) => (field.name ? `${field.name}: ${field.message}` : field.message)).join('; ');
    return sendProblem(
      reply,
      problem(400, ChassisErrorCode.InvalidRequest, `invalid ${location}: ${named}`, { errors }),
    );
  }
  if (isDomainError(error)) {
    const status = STATUS_BY_KIND[error.kind];
    if (status >= 500) request.log.warn({ err: error }, 'dependency failure');
    return sendProblem(reply, problem(status, error.code, error.message, error.details ?? {}));
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
    return sendProblem(reply, problem(500, ChassisErrorCode.Internal, 'the service produced an invalid answer'));
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return sendProblem(reply, problem(status, clientErrorCode(error, status), clientErrorDetail(error, status)));
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(
    reply,
    problem(500, ChassisErrorCode.Internal, 'an unexpected error occurred; it has been logged'),
  );
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(
    reply,
    problem(404, ChassisErrorCode.RouteNotFound, `no route for ${request.method} ${request.url.split('?')[0] ?? ''}`),
  );
}

function locationOf(context: string | undefined): string {
  if (context === 'querystring') return 'query';
  return context ?? 'request';
}

function parameterName(instancePath: string, params: Record<string, unknown>): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  const unknownKeys = params['keys'];
  if (Array.isArray(unknownKeys) && unknownKeys.length > 0) {
    return [path, unknownKeys.join(', ')].filter(Boolean).join('.');
  }
  return path;
}

function clientErrorCode(error: FastifyError, status: number): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return ChassisErrorCode.BodyTooLarge;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return ChassisErrorCode.UnsupportedMediaType;
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return ChassisErrorCode.MalformedBody;
    default:
      return status === 400 ? ChassisErrorCode.InvalidRequest : `HTTP_${status}`;
  }
}

function clientErrorDetail(error: FastifyError, status: number): string {
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError)
    return 'the request body is not valid JSON';
  return error.message || (TITLES[status] ?? 'bad request');
}
