import {
  type CheckSummary,
  type Finding,
  type ScanSummary,
  automationLine,
  summaryOf,
  worstStatus,
  type ScanResult,
  SEVERITIES,
  STATUSES,
  STATUS_ORDER,
  type Severity,
  type Status,
  compareStrings,
} from '@trailwarden/core';
import { type ChartModel, severityChart } from './chart.js';
import { AUTOMATION_LABELS, SEVERITY_LABELS, STATUS_LABELS, formatCount, safeHttpUrl } from './format.js';
import { type IntegrityTimelineModel, integrityTimeline } from './integrity-timeline.js';

/**
 * Everything the template shows, computed once at render time from the ScanResult. The template
 * only lays it out; findings themselves travel as JSON and are drawn by the page script.
 */
/** FAIL counts per check in the scans recorded before this one (oldest first; -1: the check did not run), from `--history`. */
export interface TrendInput {
  scans: { id: number; startedAt: string }[];
  fails: Record<string, number[]>;
}

export interface ViewModel {
  /** Set when a history was given: how many earlier scans the per-check trends cover. */
  trendScans?: number;
  title: string;
  tool: string;
  scan: { label: string; value: string }[];
  scopeAccounts: string;
  scopeRegions: string;
  notes: string[];
  cards: { label: string; value: string; cls: string; hint: string }[];
  matrix: { severity: string; label: string; cells: { cls: string; value: string; raw: number }[]; total: string }[];
  matrixTotals: { value: string }[];
  matrixGrandTotal: string;
  chart: ChartModel;
  worstChecks: WorstCheck[];
  coverage: CoverageModel;
  accounts: AccountRow[];
  checks: CheckRow[];
  frameworks: FrameworkModel[];
  exceptions: ExceptionRow[];
  exceptionsExpired: number;
  /** Active exceptions whose last day is within 30 days. */
  exceptionsExpiring: number;
  findingCount: string;
  /** Log-integrity timelines (check trail-log-integrity), when it ran. */
  integrity?: IntegrityTimelineModel;
}

export interface WorstCheck {
  id: string;
  title: string;
  severity: string;
  severityLabel: string;
  fail: string;
  error: string;
  failCls: string;
  errorCls: string;
  accounts: string;
}

export interface CountCells {
  pass: string;
  fail: string;
  error: string;
  na: string;
  excepted: string;
  /** Status colour for non-zero counts; zeros are muted. */
  failCls: string;
  errorCls: string;
  exceptedCls: string;
}

export interface AccountRow extends CountCells {
  id: string;
  name: string;
  ouPath: string;
  coverage: string;
  coverageLabel: string;
  worst: string;
  worstLabel: string;
}

export interface CheckRow extends CountCells {
  id: string;
  title: string;
  description: string;
  severity: string;
  severityLabel: string;
  resourceType: string;
  plugin: string;
  frameworks: string[];
  remediation: { text: string; cli?: string; terraform?: string };
  docsUrl?: string;
  docsText?: string;
  helpUrl?: string;
  failure?: string;
  worst: string;
  worstLabel: string;
  /** "4 → 2 → 0": FAIL counts in the earlier recorded scans, then this one. */
  trend?: string;
}

export interface FrameworkModel {
  id: string;
  title: string;
  version?: string;
  /** "N of M controls in scope automated (K partly), L manual". */
  automation: string;
  scope?: string;
  controls: { id: string; title: string; checks: string[]; automation: string; automationLabel: string; gap?: string; status: string; statusLabel: string; counts: string }[];
  summary: { status: string; label: string; count: string }[];
}

export interface ExceptionRow {
  id: string;
  check: string;
  accounts: string;
  resource: string;
  reason: string;
  approver: string;
  expires: string;
  state: string;
  matched: string;
}

export interface CoverageModel {
  complete: boolean;
  read: string;
  partial: string;
  failed: string;
  regions: string[];
  grid: { id: string; name: string; status: string; statusLabel: string; errors: string; cells: { cls: string; label: string; title: string }[] }[];
  gridOmitted: string;
  errorGroups: { code: string; operation: string; count: string; accounts: string; example: string }[];
  errors: { accountId: string; region: string; operation: string; code: string; message: string; path: string }[];
  errorsOmitted: string;
  errorTotal: string;
}

/** Accounts listed in the coverage grid when all of them were read (beyond this, only problems). */
const GRID_ALL_LIMIT = 100;
/** Collection errors listed one by one; the rest are counted in the grouped table. */
const ERROR_LIST_LIMIT = 1000;
const WORST_CHECKS = 8;

type Counts = Record<Status, number> & { excepted: number };

function emptyCounts(): Counts {
  return { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0, excepted: 0 };
}

/** FAIL and ERROR findings that an exception covers are counted as excepted, not as open. */
function tally(counts: Counts, f: Finding): void {
  if (f.exception) counts.excepted++;
  else counts[f.status]++;
}

function cells(c: Counts): CountCells {
  return {
    pass: formatCount(c.PASS),
    fail: formatCount(c.FAIL),
    error: formatCount(c.ERROR),
    na: formatCount(c.NOT_APPLICABLE),
    excepted: formatCount(c.excepted),
    failCls: c.FAIL > 0 ? 'st-fail' : 'zero',
    errorCls: c.ERROR > 0 ? 'st-error' : 'zero',
    exceptedCls: c.excepted > 0 ? 'st-excepted' : 'zero',
  };
}

/** The headline status of a group: any open FAIL, else ERROR, else PASS, else N/A. */
function worstOf(c: Counts): Status | 'NO_FINDINGS' {
  const worst = worstStatus(c);
  if (worst === 'FAIL' || worst === 'ERROR') return worst;
  // An excepted finding reads as accepted, like a PASS, in a group's headline.
  if (c.PASS > 0 || c.excepted > 0) return 'PASS';
  return worst ?? 'NO_FINDINGS';
}

export function statusClass(s: string): string {
  return `st-${s.toLowerCase().replace(/_/g, '-')}`;
}

export function buildViewModel(result: ScanResult, trend?: TrendInput): ViewModel {
  const byAccount = new Map<string, Counts>();
  const byCheck = new Map<string, Counts>();
  // The headline, the matrix and the worst checks come from core's summary, so every report agrees.
  const summary = summaryOf(result);
  const total: Counts = { ...summary.open, excepted: sumOf(summary.excepted) };
  const matrix = new Map<Severity, Counts>(SEVERITIES.map((s) => [s, { ...summary.bySeverity[s], excepted: summary.exceptedBySeverity[s] }]));
  for (const f of result.findings) {
    const a = byAccount.get(f.accountId) ?? emptyCounts();
    byAccount.set(f.accountId, a);
    tally(a, f);
    const c = byCheck.get(f.checkId) ?? emptyCounts();
    byCheck.set(f.checkId, c);
    tally(c, f);
  }

  const scan = result.scan;
  const expired = result.exceptions.filter((e) => e.state === 'expired').length;
  const coverage = coverageModel(result);
  const integrity = integrityTimeline(result);
  return {
    title: 'Trailwarden CloudTrail compliance report',
    tool: `${result.tool.name} ${result.tool.version}`,
    scan: [
      { label: 'Mode', value: scan.mode },
      { label: 'Partition', value: scan.partition },
      ...(scan.organizationId ? [{ label: 'Organization', value: scan.organizationId }] : []),
      { label: 'Collected', value: scan.collectedAt },
      { label: 'Scan started', value: scan.startedAt },
      { label: 'Scan finished', value: scan.finishedAt },
      { label: 'Tool', value: `${result.tool.name} ${result.tool.version}` },
      ...provenanceRows(result),
    ],
    scopeAccounts: `${formatCount(scan.accounts.length)} account${scan.accounts.length === 1 ? '' : 's'}`,
    scopeRegions: scan.regions.length > 0 ? scan.regions.join(', ') : 'every enabled region',
    notes: scan.notes,
    cards: [
      { label: 'Failed', value: formatCount(total.FAIL), cls: 'st-fail', hint: 'open FAIL findings' },
      { label: 'Errors', value: formatCount(total.ERROR), cls: 'st-error', hint: 'could not be decided' },
      { label: 'Passed', value: formatCount(total.PASS), cls: 'st-pass', hint: 'PASS findings' },
      { label: 'Not applicable', value: formatCount(total.NOT_APPLICABLE), cls: 'st-not-applicable', hint: 'N/A findings' },
      { label: 'Excepted', value: formatCount(total.excepted), cls: 'st-excepted', hint: 'covered by an active exception' },
      {
        label: 'Coverage',
        value: result.coverage.complete ? 'Complete' : 'Incomplete',
        cls: result.coverage.complete ? 'st-pass' : 'st-error',
        hint: result.coverage.complete ? 'every account and region read' : `${coverage.errorTotal} collection error(s)`,
      },
    ],
    matrix: SEVERITIES.map((sev) => {
      const c = matrix.get(sev) as Counts;
      const row = matrixCells(c);
      return { severity: sev, label: SEVERITY_LABELS[sev], cells: row, total: formatCount(row.reduce((n, x) => n + x.raw, 0)) };
    }),
    matrixTotals: matrixCells(total).map((x) => ({ value: x.value })),
    matrixGrandTotal: formatCount(result.findings.length),
    chart: severityChart(SEVERITIES.map((sev) => ({ severity: sev, counts: matrix.get(sev) as Counts }))),
    worstChecks: worstChecks(summary),
    coverage,
    accounts: accountRows(result, byAccount),
    checks: result.checks.map((c) => withTrend(checkRow(c, byCheck.get(c.id) ?? emptyCounts()), trend, c.counts.FAIL)),
    ...(trend ? { trendScans: trend.scans.length } : {}),
    frameworks: result.frameworks.map((fw) => ({
      id: fw.id,
      title: fw.title,
      ...(fw.version ? { version: fw.version } : {}),
      ...(fw.scope ? { scope: fw.scope } : {}),
      automation: fw.automation ? automationLine(fw.automation) : '',
      controls: fw.controls.map((ctl) => ({
        id: ctl.id,
        title: ctl.title,
        checks: ctl.checks,
        automation: `auto-${ctl.automation ?? 'automated'}`,
        automationLabel: AUTOMATION_LABELS[ctl.automation ?? 'automated'],
        ...(ctl.gap ? { gap: ctl.gap } : {}),
        status: statusClass(ctl.status),
        statusLabel: STATUS_LABELS[ctl.status],
        counts: STATUSES.filter((s) => ctl.counts[s] > 0)
          .map((s) => `${formatCount(ctl.counts[s])} ${STATUS_LABELS[s]}`)
          .join(' · '),
      })),
      summary: ([...STATUS_ORDER, 'NO_FINDINGS', 'NOT_RUN', 'MANUAL'] as const).map((s) => ({
        status: statusClass(s),
        label: STATUS_LABELS[s],
        count: formatCount(fw.controls.filter((c) => c.status === s).length),
      })),
    })),
    exceptions: [...result.exceptions]
      .sort((a, b) => (a.state === b.state ? compareStrings(a.id, b.id) : a.state === 'expired' ? -1 : 1))
      .map((e) => ({
        id: e.id,
        check: e.check,
        accounts: e.accounts.join(', '),
        resource: e.resource,
        reason: e.reason,
        approver: e.approver,
        expires: e.expiresSoon ? `${e.expires} (in ${e.daysLeft} day(s))` : e.expires,
        state: e.state,
        matched: formatCount(e.matched),
      })),
    exceptionsExpired: expired,
    exceptionsExpiring: result.exceptions.filter((e) => e.expiresSoon).length,
    findingCount: formatCount(result.findings.length),
    ...(integrity ? { integrity } : {}),
  };
}

/** What produced the report: endpoint, config and snapshot digests, plugins; strings cut for size. */
function provenanceRows(result: ScanResult): { label: string; value: string }[] {
  const p = result.provenance;
  const rows: { label: string; value: string }[] = [];
  if (p) {
    rows.push({ label: 'AWS endpoint', value: p.endpoint ?? 'AWS (default endpoints)' });
    rows.push({ label: 'Config', value: `${p.configPath ?? 'none (defaults)'} · ${p.configDigest}` });
    rows.push({ label: 'Snapshot', value: p.snapshotDigest });
    rows.push({ label: 'Plugins', value: p.plugins.map((x) => `${x.name}@${x.version ?? '?'}${x.builtin ? '' : ` (${x.path})`}`).join(', ') });
    if (p.collectionAllow?.length) rows.push({ label: 'collection.allow', value: p.collectionAllow.join(', ') });
    if (p.stopped) rows.push({ label: 'Stopped early', value: p.stopped });
  }
  if (result.limits?.truncatedStrings) {
    rows.push({ label: 'Truncated', value: `${result.limits.truncatedStrings} string(s) over ${result.limits.maxStringChars} characters cut (the snapshot keeps them whole)` });
  }
  return rows;
}

const MATRIX_COLUMNS = ['FAIL', 'ERROR', 'PASS', 'NOT_APPLICABLE', 'excepted'] as const;

function matrixCells(c: Counts): { cls: string; value: string; raw: number }[] {
  return MATRIX_COLUMNS.map((k) => ({
    cls: c[k] > 0 ? statusClass(k) : 'zero',
    value: formatCount(c[k]),
    raw: c[k],
  }));
}

function worstChecks(summary: ScanSummary): WorstCheck[] {
  return summary.worstChecks.slice(0, WORST_CHECKS).map((c) => ({
    id: c.id,
    title: c.title,
    severity: `sev-${c.severity}`,
    severityLabel: SEVERITY_LABELS[c.severity],
    fail: formatCount(c.fail),
    error: formatCount(c.error),
    failCls: c.fail > 0 ? 'st-fail' : 'zero',
    errorCls: c.error > 0 ? 'st-error' : 'zero',
    accounts: formatCount(c.accounts),
  }));
}

function sumOf(counts: Record<Status, number>): number {
  return STATUSES.reduce((n, s) => n + counts[s], 0);
}

function accountRows(result: ScanResult, byAccount: Map<string, Counts>): AccountRow[] {
  const coverage = new Map(result.coverage.accounts.map((a) => [a.accountId, a]));
  const ids = new Set<string>([...result.scan.accounts.map((a) => a.id), ...byAccount.keys()]);
  const meta = new Map(result.scan.accounts.map((a) => [a.id, a]));
  return [...ids].sort(compareStrings).map((id) => {
    const counts = byAccount.get(id) ?? emptyCounts();
    const cov = coverage.get(id);
    const worst = worstOf(counts);
    return {
      id,
      name: meta.get(id)?.name ?? cov?.name ?? '',
      ouPath: (meta.get(id)?.ouPath ?? []).join(' / '),
      coverage: cov ? `cov-${cov.status}` : 'cov-unknown',
      coverageLabel: cov ? { read: 'Read', partial: 'Partial', failed: 'Not read' }[cov.status] : 'Not in coverage',
      worst: statusClass(worst),
      worstLabel: STATUS_LABELS[worst],
      ...cells(counts),
    };
  });
}

function withTrend(row: CheckRow, trend: TrendInput | undefined, failNow: number): CheckRow {
  if (!trend) return row;
  const past = (trend.fails[row.id] ?? []).map((n) => (Number.isFinite(n) && n >= 0 ? String(Math.trunc(n)) : '–'));
  return { ...row, trend: [...past, String(failNow)].join(' → ') };
}

function checkRow(c: CheckSummary, counts: Counts): CheckRow {
  const worst = c.error ? 'ERROR' : worstOf(counts);
  const docsUrl = safeHttpUrl(c.docs);
  const helpUrl = safeHttpUrl(c.helpUri);
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    severity: `sev-${c.severity}`,
    severityLabel: SEVERITY_LABELS[c.severity],
    resourceType: c.resourceType,
    plugin: c.plugin.version ? `${c.plugin.name}@${c.plugin.version}` : c.plugin.name,
    frameworks: Object.entries(c.frameworks)
      .sort(([a], [b]) => compareStrings(a, b))
      .map(([fw, controls]) => `${fw}: ${controls.join(', ')}`),
    remediation: {
      text: c.remediation.text,
      ...(c.remediation.cli ? { cli: c.remediation.cli } : {}),
      ...(c.remediation.terraform ? { terraform: c.remediation.terraform } : {}),
    },
    ...(docsUrl ? { docsUrl } : c.docs ? { docsText: c.docs } : {}),
    ...(helpUrl && helpUrl !== docsUrl ? { helpUrl } : {}),
    ...(c.error ? { failure: c.error } : {}),
    worst: statusClass(worst),
    worstLabel: STATUS_LABELS[worst],
    ...cells(counts),
  };
}

function coverageModel(result: ScanResult): CoverageModel {
  const cov = result.coverage;
  const regions = [...new Set(cov.accounts.flatMap((a) => a.regions.map((r) => r.name)))].sort(compareStrings);
  const showAll = cov.accounts.length <= GRID_ALL_LIMIT;
  const shown = cov.accounts.filter((a) => showAll || a.status !== 'read');
  const names = new Map(result.scan.accounts.map((a) => [a.id, a.name]));
  const grid = shown.map((a) => {
    const byRegion = new Map(a.regions.map((r) => [r.name, r]));
    return {
      id: a.accountId,
      name: a.name ?? names.get(a.accountId) ?? '',
      status: `cov-${a.status}`,
      statusLabel: { read: 'Read', partial: 'Partial', failed: 'Not read' }[a.status],
      errors: formatCount(a.errorCount),
      cells: regions.map((name) => {
        const r = byRegion.get(name);
        if (!r) return { cls: 'cell-none', label: '–', title: `${name}: not listed (not enabled or not in scope)` };
        if (r.status === 'read') return { cls: 'cell-read', label: 'Read', title: `${name}: read` };
        return { cls: 'cell-failed', label: 'Failed', title: `${name}: ${r.error ?? 'failed'}` };
      }),
    };
  });
  const groups = new Map<string, { code: string; operation: string; count: number; accounts: Set<string>; example: string }>();
  for (const e of cov.errors) {
    const key = `${e.code}\u0000${e.operation}`;
    const g = groups.get(key) ?? { code: e.code, operation: e.operation, count: 0, accounts: new Set<string>(), example: e.message };
    g.count++;
    g.accounts.add(e.accountId);
    groups.set(key, g);
  }
  const errorGroups = [...groups.values()]
    .sort((a, b) => b.count - a.count || compareStrings(a.code, b.code) || compareStrings(a.operation, b.operation))
    .map((g) => ({ code: g.code, operation: g.operation, count: formatCount(g.count), accounts: formatCount(g.accounts.size), example: g.example }));
  const count = (s: string) => formatCount(cov.accounts.filter((a) => a.status === s).length);
  return {
    complete: cov.complete,
    read: count('read'),
    partial: count('partial'),
    failed: count('failed'),
    regions,
    grid,
    gridOmitted: showAll ? '' : formatCount(cov.accounts.length - shown.length),
    errorGroups,
    errors: cov.errors.slice(0, ERROR_LIST_LIMIT).map((e) => ({
      accountId: e.accountId,
      region: e.region ?? '',
      operation: e.operation,
      code: e.code,
      message: e.message,
      path: e.path,
    })),
    errorsOmitted: cov.errors.length > ERROR_LIST_LIMIT ? formatCount(cov.errors.length - ERROR_LIST_LIMIT) : '',
    errorTotal: formatCount(cov.errors.length),
  };
}
