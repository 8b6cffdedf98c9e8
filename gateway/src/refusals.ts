import type { FastifyReply } from 'fastify';
import { problem, sendProblem } from '@talad/service';
import type { AccessDecision } from './access.ts';
import { GatewayErrorCode } from './error-codes.ts';
import { FAILURE_ANSWER, type UpstreamFailure } from './upstream-failure.ts';

/** 401 (with the challenge RFC 6750 asks for), 403, or 503 when tokens cannot be checked. */
export function refuseAccess(reply: FastifyReply, decision: Extract<AccessDecision, { allowed: false }>): FastifyReply {
  if (decision.status === 401) {
    reply.header(
      'www-authenticate',
      decision.invalidToken ? 'Bearer realm="talad", error="invalid_token"' : 'Bearer realm="talad"',
    );
  }
  const code =
    decision.status === 401
      ? GatewayErrorCode.Unauthenticated
      : decision.status === 403
        ? GatewayErrorCode.Forbidden
        : GatewayErrorCode.AuthUnavailable;
  return sendProblem(reply, problem(decision.status, code, decision.detail));
}

export function refuseRate(reply: FastifyReply, retryAfterMs: number): FastifyReply {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  reply.header('retry-after', String(seconds));
  return sendProblem(
    reply,
    problem(429, GatewayErrorCode.RateLimited, `too many requests; try again in ${seconds} s`, {
      retryAfterSeconds: seconds,
    }),
  );
}

export function refuseBody(reply: FastifyReply, limitBytes: number): FastifyReply {
  // The rest of the body is never read; closing the connection is the only way not to misread it as a request.
  reply.header('connection', 'close');
  return sendProblem(
    reply,
    problem(413, GatewayErrorCode.BodyTooLarge, `the request body is larger than ${limitBytes} bytes`, { limitBytes }),
  );
}

/** The problem answer for an upstream that gave no usable answer, naming the service. */
export function upstreamFailed(
  reply: FastifyReply,
  failure: Exclude<UpstreamFailure, 'body-too-large'>,
  service: string,
  retryAfterMs: number,
): FastifyReply {
  const answer = FAILURE_ANSWER[failure];
  if (failure === 'circuit-open') reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  return sendProblem(reply, problem(answer.status, answer.code, answer.detail(service), { service }));
}
