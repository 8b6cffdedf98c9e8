/**
 * Error codes the chassis itself answers with. Append-only: a code, once published, keeps its
 * meaning forever and is never reused. Each service keeps its own catalogue beside its routes.
 */
export const ChassisErrorCode = {
  /** A query parameter, path parameter, header or body field failed validation; `errors` names each. */
  InvalidRequest: 'INVALID_REQUEST',
  /** The body is not parseable (not JSON, or empty where JSON was required). */
  MalformedBody: 'MALFORMED_BODY',
  BodyTooLarge: 'BODY_TOO_LARGE',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  /** No route matches the method and path. */
  RouteNotFound: 'ROUTE_NOT_FOUND',
  /** A bug: the detail is in the service log under the request id. */
  Internal: 'INTERNAL_ERROR',
  /** The service is shutting down or a dependency it needs is down. */
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
} as const;

export type ChassisErrorCode = (typeof ChassisErrorCode)[keyof typeof ChassisErrorCode];
