import { type Finding, type Severity, compareFindings } from '@trailwarden/core';

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export interface Selection {
  /** Findings that become results, highest priority first. */
  eligible: Finding[];
  /** Findings left out by policy (not by limits), by reason. */
  leftOut: { excepted: number; errors: number };
}

/**
 * Results are FAIL findings (and ERROR ones when asked). Excepted findings are left out unless
 * asked for: GitHub ignores `suppressions` and would open an alert for an accepted risk.
 * Order: severity (critical first), FAIL before ERROR, then the engine's stable finding order, so
 * a truncated file keeps the most important results.
 */
export function selectFindings(findings: readonly Finding[], opts: { includeErrors: boolean; includeExcepted: boolean }): Selection {
  const eligible: Finding[] = [];
  const leftOut = { excepted: 0, errors: 0 };
  for (const f of findings) {
    if (f.status === 'ERROR' && !opts.includeErrors) {
      leftOut.errors++;
      continue;
    }
    if (f.status !== 'FAIL' && f.status !== 'ERROR') continue;
    if (f.exception && !opts.includeExcepted) {
      leftOut.excepted++;
      continue;
    }
    eligible.push(f);
  }
  eligible.sort(comparePriority);
  return { eligible, leftOut };
}

export function comparePriority(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    (a.status === b.status ? 0 : a.status === 'FAIL' ? -1 : 1) ||
    compareFindings(a, b) ||
    (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0)
  );
}
