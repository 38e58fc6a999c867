import type { Finding, Severity, Status } from '@trailwarden/core';

/** The finding fields a diff needs (a history row, a report's finding, a fresh evaluation's). */
export type DiffFinding = Pick<Finding, 'fingerprint' | 'checkId' | 'status' | 'severity' | 'accountId' | 'region' | 'resource' | 'message'> & {
  exception?: Finding['exception'];
  /** Set (true) when read from a history: the finding had an exception. */
  excepted?: boolean;
};

export interface ChangedFinding {
  before: DiffFinding;
  after: DiffFinding;
}

/**
 * Two scans compared by fingerprint (check, account, region, resource):
 * - `new`: FAIL now; before it was absent, passing, not applicable or unreadable.
 * - `fixed`: FAIL before; now PASS or NOT_APPLICABLE. A resource that became unreadable is never fixed.
 * - `changed`: in both with another status or severity, and in none of the other lists
 *   (FAIL → FAIL at another severity; ERROR → PASS; PASS ↔ NOT_APPLICABLE).
 * - `stillFailing`: FAIL in both at the same severity.
 * - `newlyUnreadable`: ERROR now, and not before.
 * - `stillUnreadable`: ERROR in both.
 * - `gone`: FAIL or ERROR before, not reported now at all (resource deleted, or out of scope).
 */
export interface ScanDiff {
  new: DiffFinding[];
  fixed: ChangedFinding[];
  changed: ChangedFinding[];
  stillFailing: DiffFinding[];
  newlyUnreadable: { before?: DiffFinding; after: DiffFinding }[];
  stillUnreadable: DiffFinding[];
  gone: DiffFinding[];
  /** Findings in both scans with the same status and severity (PASS, N/A). */
  unchanged: number;
}

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/** Whether `after` is worse than `before` for a gate: newly failing, or failing at a higher severity. */
export function isWorse(before: DiffFinding | undefined, after: DiffFinding): boolean {
  if (after.status !== 'FAIL') return false;
  if (before?.status !== 'FAIL') return true;
  return RANK[after.severity] > RANK[before.severity];
}

export function diffFindings(before: readonly DiffFinding[], after: readonly DiffFinding[]): ScanDiff {
  const old = new Map<string, DiffFinding>();
  for (const f of before) old.set(f.fingerprint, f);
  const out: ScanDiff = { new: [], fixed: [], changed: [], stillFailing: [], newlyUnreadable: [], stillUnreadable: [], gone: [], unchanged: 0 };
  const seen = new Set<string>();
  for (const b of after) {
    if (seen.has(b.fingerprint)) continue;
    seen.add(b.fingerprint);
    const a = old.get(b.fingerprint);
    const was: Status | undefined = a?.status;
    if (b.status === 'FAIL') {
      if (!a || was !== 'FAIL') out.new.push(b);
      else if (a.severity !== b.severity) out.changed.push({ before: a, after: b });
      else out.stillFailing.push(b);
    } else if (b.status === 'ERROR') {
      if (a && was === 'ERROR') out.stillUnreadable.push(b);
      else out.newlyUnreadable.push(a ? { before: a, after: b } : { after: b });
    } else if (a && was === 'FAIL') {
      out.fixed.push({ before: a, after: b });
    } else if (a && (was !== b.status || a.severity !== b.severity)) {
      out.changed.push({ before: a, after: b });
    } else {
      out.unchanged++;
    }
  }
  for (const a of before) {
    if (!seen.has(a.fingerprint) && (a.status === 'FAIL' || a.status === 'ERROR')) {
      seen.add(a.fingerprint);
      out.gone.push(a);
    }
  }
  return out;
}

/** Counts of each list, for summaries and JSON. */
export function diffCounts(d: ScanDiff): Record<Exclude<keyof ScanDiff, 'unchanged'>, number> & { unchanged: number } {
  return {
    new: d.new.length,
    fixed: d.fixed.length,
    changed: d.changed.length,
    stillFailing: d.stillFailing.length,
    newlyUnreadable: d.newlyUnreadable.length,
    stillUnreadable: d.stillUnreadable.length,
    gone: d.gone.length,
    unchanged: d.unchanged,
  };
}
