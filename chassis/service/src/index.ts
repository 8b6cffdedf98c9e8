export { createServiceApp, type ServiceApp, type ServiceAppOptions } from './app.ts';
export { runService, EXIT_CONFIG_ERROR, type RunServiceOptions, type ServiceContext } from './run.ts';
export { loadConfig, baseConfigShape, ConfigError, type BaseConfig, type ServiceConfig } from './config.ts';
export { createLogger, type Logger } from './logger.ts';
export { problem, sendProblem, problemTypeFor, type Problem, type ProblemFieldError } from './problem.ts';
export { ChassisErrorCode } from './error-codes.ts';
export { type ReadinessCheck } from './health.ts';
export { Counter, Gauge, Histogram, Registry } from './metrics.ts';
export { setupTracing, getTracer, currentTraceIds, injectTraceHeaders, inSpan, SpanKind } from './tracing.ts';
