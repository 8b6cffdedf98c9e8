export {
  defineSaga,
  step,
  replyDefinitionsOf,
  type SagaDefinition,
  type SagaDefinitionSpec,
  type AnySagaDefinition,
  type SagaStep,
  type StepSpec,
  type CompensationSpec,
  type RequestContext,
  type SagaCompletedEvent,
  type SagaCompensatedEvent,
  type CommandDefinition,
  type ReplyDefinition,
} from './definition.ts';
export {
  transition,
  startSnapshot,
  canAbort,
  SAGA_STATES,
  STEP_TIMED_OUT,
  type SagaState,
  type StepState,
  type Phase,
  type SagaSnapshot,
  type SagaEvent,
  type Transition,
} from './state-machine.ts';
export {
  createSagaOrchestrator,
  SagaConflictError,
  type SagaOrchestrator,
  type SagaOrchestratorOptions,
  type SagaInstanceView,
  type SagaInstanceSummary,
  type SagaHistoryEntry,
  type SagaStepView,
} from './orchestrator.ts';
export { createSagaMetrics, type SagaMetrics } from './metrics.ts';
export { migrateSaga, sagaMigrationsDirectory } from './migrations.ts';
