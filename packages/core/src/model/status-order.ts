import type { Status } from './result.js';

/**
 * The one status order, worst first: a FAIL outranks an ERROR (a problem found is found), an ERROR
 * outranks a PASS (undecided is not clean), N/A comes last. Sorting, dedupe, control and group
 * headlines all use it.
 */
export const STATUS_ORDER: readonly Status[] = ['FAIL', 'ERROR', 'PASS', 'NOT_APPLICABLE'];

const RANK: Record<Status, number> = { FAIL: 0, ERROR: 1, PASS: 2, NOT_APPLICABLE: 3 };

/** Negative when `a` is worse than `b`. */
export function compareStatus(a: Status, b: Status): number {
  return RANK[a] - RANK[b];
}

/** The worst status with a non-zero count, or undefined when all are zero. */
export function worstStatus(counts: Record<Status, number>): Status | undefined {
  return STATUS_ORDER.find((s) => counts[s] > 0);
}
