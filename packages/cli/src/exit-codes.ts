import type { FailOn, ScanResult, Severity } from '@trailwarden/core';

/** 4 is a bug in Trailwarden (or a plugin's code): never 3, so "tolerate an incomplete scan" can never hide a crash. */
export const EXIT = { clean: 0, findings: 1, badInput: 2, incomplete: 3, internalError: 4 } as const;

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };
const THRESHOLD: Record<FailOn, number> = { critical: 4, high: 3, medium: 2, low: 1, any: 1, none: Number.POSITIVE_INFINITY };

/** FAIL findings that gate: at or above the threshold, and not excepted. */
export function gatingFindings(result: ScanResult, failOn: FailOn) {
  return result.findings.filter((f) => f.status === 'FAIL' && !f.exception && RANK[f.severity] >= THRESHOLD[failOn]);
}

/** Whether some account, region or check could not be read or decided. */
export function isIncomplete(result: ScanResult): boolean {
  return !result.coverage.complete || result.findings.some((f) => f.status === 'ERROR');
}

/**
 * 1 when findings gate (a definite violation outranks a gap: CI must see it), else 3 when the
 * scan is incomplete, else 0. Bad input (2) never reaches here.
 */
export function exitCodeFor(result: ScanResult, failOn: FailOn): number {
  if (gatingFindings(result, failOn).length > 0) return EXIT.findings;
  if (isIncomplete(result)) return EXIT.incomplete;
  return EXIT.clean;
}
