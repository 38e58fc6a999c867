import type { CheckSummary, Coverage, ExceptionReport, Finding, Severity, Status } from '../model/result.js';
import { SEVERITIES } from '../model/result.js';
import { compareStrings } from '../util/stable.js';

/** The statuses that put a check among the worst. */
export const WORST_CHECK_STATUSES: readonly Status[] = ['FAIL', 'ERROR'];

export interface WorstCheck {
  id: string;
  title: string;
  severity: Severity;
  /** Open (not excepted) FAIL and ERROR findings. */
  fail: number;
  error: number;
  /** Findings of the check an exception covers (any status). */
  excepted: number;
  /** Accounts with an open FAIL or ERROR of this check. */
  accounts: number;
  /** Why the check could not run, when it could not. */
  couldNotRun?: string;
}

/**
 * What a scan comes to, computed once by core so that the terminal, every report and the exit code
 * agree. "Open" means not covered by an exception: exceptions never change a finding's status, they
 * only take it out of the headline and the gate.
 */
export interface ScanSummary {
  /** Every finding by status, excepted ones included. */
  counts: Record<Status, number>;
  /** Findings no exception covers, by status: the headline. */
  open: Record<Status, number>;
  /** Findings an exception covers, by status. */
  excepted: Record<Status, number>;
  /** Open findings by severity, then status. */
  bySeverity: Record<Severity, Record<Status, number>>;
  /** Excepted findings by severity (any status). */
  exceptedBySeverity: Record<Severity, number>;
  /** Checks with an open FAIL or ERROR, worst first: severity, open FAILs, open ERRORs, id. */
  worstChecks: WorstCheck[];
  /** Every account and region was read. */
  coverageComplete: boolean;
  /** Read in full and decided in full: coverage complete and no ERROR finding (excepted or not). */
  complete: boolean;
  exceptions: { active: number; expired: number; expiringSoon: number };
}

export function emptyStatusCounts(): Record<Status, number> {
  return { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0 };
}

export function summarize(input: { checks: CheckSummary[]; findings: Finding[]; coverage: Coverage; exceptions: ExceptionReport[] }): ScanSummary {
  const counts = emptyStatusCounts();
  const open = emptyStatusCounts();
  const excepted = emptyStatusCounts();
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, emptyStatusCounts()])) as Record<Severity, Record<Status, number>>;
  const exceptedBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const perCheck = new Map<string, { fail: number; error: number; excepted: number; accounts: Set<string> }>();
  const of = (id: string) => {
    const c = perCheck.get(id) ?? { fail: 0, error: 0, excepted: 0, accounts: new Set<string>() };
    perCheck.set(id, c);
    return c;
  };
  for (const f of input.findings) {
    counts[f.status]++;
    if (f.exception) {
      excepted[f.status]++;
      exceptedBySeverity[f.severity]++;
      of(f.checkId).excepted++;
      continue;
    }
    open[f.status]++;
    bySeverity[f.severity][f.status]++;
    if (f.status === 'FAIL' || f.status === 'ERROR') {
      const c = of(f.checkId);
      if (f.status === 'FAIL') c.fail++;
      else c.error++;
      c.accounts.add(f.accountId);
    }
  }
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  const worstChecks: WorstCheck[] = input.checks
    .map((c) => ({ check: c, n: perCheck.get(c.id) }))
    .filter(({ n }) => n && n.fail + n.error > 0)
    .map(({ check, n }) => ({
      id: check.id,
      title: check.title,
      severity: check.severity,
      fail: n?.fail ?? 0,
      error: n?.error ?? 0,
      excepted: n?.excepted ?? 0,
      accounts: n?.accounts.size ?? 0,
      ...(check.error ? { couldNotRun: check.error } : {}),
    }))
    .sort((a, b) => rank(a.severity) - rank(b.severity) || b.fail - a.fail || b.error - a.error || compareStrings(a.id, b.id));
  return {
    counts,
    open,
    excepted,
    bySeverity,
    exceptedBySeverity,
    worstChecks,
    coverageComplete: input.coverage.complete,
    complete: input.coverage.complete && counts.ERROR === 0,
    exceptions: {
      active: input.exceptions.filter((e) => e.state === 'active').length,
      expired: input.exceptions.filter((e) => e.state === 'expired').length,
      expiringSoon: input.exceptions.filter((e) => e.expiresSoon).length,
    },
  };
}

/**
 * The summary of a result: the one core computed, or (for a result built by hand, e.g. by an older
 * tool or a test fixture) the same computation now.
 */
export function summaryOf(result: { summary?: ScanSummary; checks: CheckSummary[]; findings: Finding[]; coverage: Coverage; exceptions: ExceptionReport[] }): ScanSummary {
  return result.summary ?? summarize(result);
}
