// Defaults and option checks shared by both backends, so they behave the same.

/** Unanswered questions kept when a store is not told otherwise. */
export const DEFAULT_MAX_QUESTIONS = 500;

/** Throws when a size or duration option is not a positive integer (Redis `EX` accepts nothing else). */
export function requirePositiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/** `recent(limit)` accepts any number; anything below 1 means "nothing". */
export function clampLimit(limit: number, max: number): number {
  if (!Number.isFinite(limit)) return limit > 0 ? max : 0;
  return Math.max(0, Math.min(Math.floor(limit), max));
}
