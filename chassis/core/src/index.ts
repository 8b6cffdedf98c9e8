export { newId, isUuid } from './ids.ts';
export { money, addMoney, multiplyMoney, formatMoney, type Money, type Currency } from './money.ts';
export { systemClock, manualClock, type Clock } from './clock.ts';
export { DomainError, isDomainError, assertNever, type ErrorKind } from './errors.ts';
export { timestampedSignature, checkTimestampedSignature } from './signatures.ts';
