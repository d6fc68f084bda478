import { valueText } from './value-text';

/**
 * A rejection reason or a caught value as an Error, so that what a promise rejects with or a function throws is one
 * (a stack, a message, `instanceof Error` in the caller's catch). An Error (an AbortSignal's DOMException too) is
 * handed on as it is; anything else becomes an Error that shows it (valueText) and keeps it as its `cause`.
 */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(valueText(value), { cause: value });
}
