import { DomainError } from '@talad/core';

export const EventStoreErrorCode = {
  /** Another writer appended to the stream since the caller read it: reload, decide again, retry. */
  ConcurrencyConflict: 'EVENTSTORE_CONCURRENCY_CONFLICT',
  /** An event with this id was already recorded. */
  DuplicateEvent: 'EVENTSTORE_DUPLICATE_EVENT',
} as const;

/**
 * The stream is not at the version the writer expected: someone else appended first. A conflict (409)
 * if it ever reaches the HTTP edge; callers usually reload the stream and try again.
 */
export class ConcurrencyError extends DomainError {
  readonly streamId: string;
  readonly expectedVersion: number;
  /** The stream's version when the append was refused; undefined when it lost a race at commit time. */
  readonly actualVersion: number | undefined;

  constructor(streamId: string, expectedVersion: number, actualVersion: number | undefined) {
    super(
      'conflict',
      EventStoreErrorCode.ConcurrencyConflict,
      `stream ${streamId} is not at version ${expectedVersion}` +
        (actualVersion === undefined ? ': another writer appended first' : ` (it is at ${actualVersion})`),
    );
    this.name = 'ConcurrencyError';
    this.streamId = streamId;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

export class DuplicateEventError extends DomainError {
  constructor(streamId: string) {
    super('conflict', EventStoreErrorCode.DuplicateEvent, `an event appended to ${streamId} was already recorded`);
    this.name = 'DuplicateEventError';
  }
}

export function isConcurrencyError(error: unknown): error is ConcurrencyError {
  return error instanceof ConcurrencyError;
}
