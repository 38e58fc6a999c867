import { performance } from 'node:perf_hooks';
import { frameworkReports } from '../catalogue/catalogue.js';
import { type ExceptionRule, applyExceptions } from '../config/exceptions.js';
import type { CheckSummary, Finding, ScanResult, Severity, Status } from '../model/result.js';
import type { FrameworkMap } from '../model/result.js';
import type { JsonValue, Snapshot, SnapshotSection } from '../model/snapshot.js';
import { compareStatus } from '../model/status-order.js';
import { BUILTIN_PACKS, frameworksOf, resolvePacks } from '../packs/packs.js';
import type { FrameworkPack } from '../packs/types.js';
import { summarize } from '../summary/summary.js';
import type { Check } from '../plugin/api.js';
import { compareStrings, fingerprint } from '../util/stable.js';
import { runChecksInWorkers } from './check-pool.js';
import type { RawFinding } from './context.js';
import { CORE_MESSAGES, formatMessage } from './core-messages.js';
import { computeCoverage } from './coverage.js';
import { type CheckEnvironment, type CheckRun, runCheckHere } from './run-check.js';
import { type ScanModel, buildScanModel } from './scan-model.js';
import { createServices } from './services.js';
import { type SnapshotIndex, accountResource } from './snapshot-index.js';

/** A check ready to run: the plugin it came from and its validated options (defaults applied). */
export interface LoadedCheck {
  // biome-ignore lint/suspicious/noExplicitAny: checks of any option type run side by side
  check: Check<any, any, any>;
  plugin: { name: string; version?: string };
  options: Record<string, unknown>;
  /** Severity override from the config. */
  severity?: Severity;
  /** The plugin module the check came from, so a worker thread can import it (see `isolation`). */
  source?: { file: string };
}

export interface EvaluateOptions {
  checks: LoadedCheck[];
  /** The evaluation's clock (exception expiry, delivery age). Default: the system clock. */
  now?: Date;
  /** Per-check budget in milliseconds unless the check sets its own. Default 60 s. */
  timeoutMs?: number;
  exceptions?: ExceptionRule[];
  /** Framework packs (default: the built-in ones); `meta.frameworks` of v1 plugin checks are folded in. */
  packs?: readonly FrameworkPack[];
  tool?: { name: string; version: string };
  startedAt?: Date;
  /** Called after each check with its wall time (benchmarks, `--debug` timings); not in the result, which stays deterministic. */
  onCheckDone?: (checkId: string, ms: number) => void;
  /**
   * `workers`: each check runs in a pool of worker threads and one that overruns its budget is
   * terminated (checks without a `source` module still run here). `in-process` (the default, for
   * tests and embedding): the budget is checked on every context call, so a computation that never
   * calls the context cannot be stopped.
   */
  isolation?: 'in-process' | 'workers';
  /** Size of the worker pool; default one per core. */
  workers?: number;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 60_000;

export async function evaluate(snapshot: Snapshot, opts: EvaluateOptions): Promise<ScanResult> {
  const startedAt = opts.startedAt ?? new Date();
  const now = opts.now ?? new Date();
  const model = buildScanModel(snapshot);
  const services = createServices(snapshot);
  const checks = [...opts.checks].sort((a, b) => compareStrings(a.check.id, b.check.id));
  const budgetOf = (l: LoadedCheck) => l.check.timeoutMs ?? opts.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const packs = resolvePacks(
    checks.map((l) => ({ id: l.check.id, meta: l.check.meta, plugin: l.plugin })),
    opts.packs ?? BUILTIN_PACKS,
  );
  const frameworks = new Map(checks.map((l) => [l.check.id, frameworksOf(l.check, packs)]));

  const pooled = await runPooledChecks(snapshot, checks, budgetOf, now, opts);
  const runs: { loaded: LoadedCheck; run: CheckRun }[] = [];
  for (const loaded of checks) {
    const run = pooled.get(loaded.check.id) ?? (await runHere(loaded, snapshot, { model, services, now }, budgetOf(loaded), opts.onCheckDone));
    runs.push({ loaded, run: settle(loaded.check.id, run, model) });
  }

  const findings = dedupeFindings(runs.flatMap(({ loaded, run }) => run.findings.map((r) => toFinding(loaded, r, frameworks.get(loaded.check.id) ?? {}))).sort(compareFindings));
  const exceptions = applyExceptions(findings, opts.exceptions ?? [], now);
  const summaries = runs.map(({ loaded, run }) => checkSummary(loaded, run.failure, frameworks.get(loaded.check.id) ?? {}));
  countFindings(summaries, findings);
  const coverage = computeCoverage(snapshot);

  return {
    tool: opts.tool ?? { name: 'trailwarden', version: '0.0.0' },
    scan: scanInfo(snapshot, model.index, startedAt),
    coverage,
    checks: summaries,
    findings,
    exceptions,
    frameworks: frameworkReports(summaries, findings, packs),
    summary: summarize({ checks: summaries, findings, coverage, exceptions }),
  };
}

/** Sections a check requires that the snapshot was collected without. */
function missingSections(loaded: LoadedCheck, snapshot: Snapshot): string[] {
  return loaded.check.requires.filter((s: SnapshotSection) => !snapshot.sections.includes(s));
}

/** With `isolation: 'workers'`, the runnable checks that have a module to import, run in the pool. */
async function runPooledChecks(
  snapshot: Snapshot,
  checks: LoadedCheck[],
  budgetOf: (l: LoadedCheck) => number,
  now: Date,
  opts: EvaluateOptions,
): Promise<Map<string, CheckRun>> {
  const pooled = opts.isolation === 'workers' ? checks.filter((l) => l.source && missingSections(l, snapshot).length === 0) : [];
  const outcomes = await runChecksInWorkers(
    snapshot,
    pooled.map((l) => ({
      checkId: l.check.id,
      file: (l.source as { file: string }).file,
      plugin: l.plugin,
      options: l.options,
      budgetMs: budgetOf(l),
    })),
    { now, ...(opts.workers ? { workers: opts.workers } : {}), ...(opts.onCheckDone ? { onCheckDone: opts.onCheckDone } : {}) },
  );
  const runs = new Map<string, CheckRun>();
  const byId = new Map(pooled.map((l) => [l.check.id, l]));
  for (const [id, o] of outcomes) {
    const messages = byId.get(id)?.check.meta.messages ?? {};
    runs.set(id, { findings: o.raw.map((r) => withMessage(r, messages)), ...(o.failure !== undefined ? { failure: o.failure } : {}) });
  }
  return runs;
}

/** A finding from a worker, which sends those with a message id and data without their text (see check-worker.ts). */
function withMessage(r: RawFinding, messages: Record<string, string>): RawFinding {
  if (r.message !== '' || r.messageId === undefined || r.data === undefined) return r;
  const template = messages[r.messageId] ?? (CORE_MESSAGES as Record<string, string>)[r.messageId];
  return template === undefined ? r : { ...r, message: formatMessage(template, r.data) };
}

/** Run one check in this thread, unless the snapshot lacks a section it requires. */
async function runHere(
  loaded: LoadedCheck,
  snapshot: Snapshot,
  env: CheckEnvironment,
  budget: number,
  onCheckDone: EvaluateOptions['onCheckDone'],
): Promise<CheckRun> {
  const missing = missingSections(loaded, snapshot);
  if (missing.length > 0) {
    return { findings: [], failure: `the snapshot lacks the section(s) ${missing.join(', ')} that this check requires; collect again with this check enabled` };
  }
  const started = performance.now();
  const run = await runCheckHere(loaded, env, budget);
  onCheckDone?.(loaded.check.id, performance.now() - started);
  return run;
}

/**
 * A check that failed as a whole keeps only the FAILs it reported before it failed (a problem found
 * is found); its other partial verdicts go, since a half-run check would read as a clean bill, and
 * every scanned account gets an ERROR naming the failure.
 */
function settle(checkId: string, run: CheckRun, model: ScanModel): CheckRun {
  if (run.failure === undefined) return run;
  const failure = run.failure;
  const data = { check: checkId, reason: failure };
  const errors: RawFinding[] = model.index.accountIds.map((id) => ({
    status: 'ERROR',
    resource: accountResource(model.index, id),
    message: formatMessage(CORE_MESSAGES['core.checkFailed'], data),
    messageId: 'core.checkFailed',
    data,
    evidence: { reason: failure },
  }));
  return { findings: [...run.findings.filter((r) => r.status === 'FAIL'), ...errors], failure };
}

function toFinding(loaded: LoadedCheck, r: RawFinding, frameworks: FrameworkMap): Finding {
  const { check } = loaded;
  return {
    checkId: check.id,
    status: r.status,
    severity: loaded.severity ?? check.meta.severity,
    accountId: r.resource.accountId,
    region: r.resource.region,
    resource: { arn: r.resource.arn, type: r.resource.type, name: r.resource.name },
    message: r.message,
    ...(r.messageId ? { messageId: r.messageId } : {}),
    ...(r.data ? { data: r.data } : {}),
    evidence: r.evidence,
    frameworks,
    fingerprint: fingerprint(check.id, r.resource.accountId, r.resource.region, r.resource.arn),
  };
}

/** The check's summary; its counts are filled in by countFindings once the findings are final. */
function checkSummary(loaded: LoadedCheck, failure: string | undefined, frameworks: FrameworkMap): CheckSummary {
  const { check } = loaded;
  return {
    id: check.id,
    title: check.meta.title,
    description: check.meta.description,
    severity: loaded.severity ?? check.meta.severity,
    resourceType: check.meta.resource,
    frameworks,
    remediation: check.meta.remediation,
    ...(check.meta.docs ? { docs: check.meta.docs } : {}),
    ...(check.meta.helpUri ? { helpUri: check.meta.helpUri } : {}),
    plugin: loaded.plugin,
    options: loaded.options as Record<string, JsonValue>,
    counts: emptyCounts(),
    ...(failure ? { error: failure } : {}),
  };
}

/** Each check's counts, from the final (deduplicated) findings; exceptions do not change statuses. */
function countFindings(summaries: CheckSummary[], findings: readonly Finding[]): void {
  const byId = new Map(summaries.map((s) => [s.id, s]));
  for (const f of findings) {
    const s = byId.get(f.checkId);
    if (s) s.counts[f.status]++;
  }
}

function scanInfo(snapshot: Snapshot, index: SnapshotIndex, startedAt: Date): ScanResult['scan'] {
  const org = snapshot.organization?.value;
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    collectedAt: snapshot.collectedAt,
    partition: snapshot.partition,
    mode: snapshot.scope.mode,
    ...(org ? { organizationId: org.id } : {}),
    accounts: index.accountIds.map((id) => ({
      id,
      ...(index.accountNames.get(id) ? { name: index.accountNames.get(id) } : {}),
      ...(index.ouPaths.get(id) ? { ouPath: index.ouPaths.get(id) } : {}),
    })),
    regions: scannedRegions(snapshot),
    notes: snapshot.scope.notes ?? [],
  };
}

function emptyCounts(): Record<Status, number> {
  return { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0 };
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.checkId, b.checkId) ||
    compareStrings(a.accountId, b.accountId) ||
    compareStrings(a.region, b.region) ||
    compareStrings(a.resource.arn, b.resource.arn) ||
    compareStatus(a.status, b.status) ||
    compareStrings(a.message, b.message)
  );
}

/**
 * One finding per (check, resource): if a check reported the same resource twice, keep the worst
 * verdict (FAIL over ERROR over PASS) and merge the evidence of the others into it.
 */
function dedupeFindings(findings: Finding[]): Finding[] {
  let w = 0;
  for (let r = 0; r < findings.length; r++) {
    const f = findings[r] as Finding;
    const prev = w > 0 ? (findings[w - 1] as Finding) : undefined;
    if (prev && prev.fingerprint === f.fingerprint && prev.checkId === f.checkId) {
      const also = (prev.evidence.alsoReported as JsonValue[] | undefined) ?? [];
      prev.evidence = { ...prev.evidence, alsoReported: [...also, { status: f.status, message: f.message }] };
      continue;
    }
    findings[w++] = f;
  }
  findings.length = w;
  return findings;
}

function scannedRegions(snapshot: Snapshot): string[] {
  if (snapshot.scope.regions.length > 0) return [...snapshot.scope.regions].sort();
  const set = new Set<string>();
  for (const a of Object.values(snapshot.accounts)) {
    for (const r of a.regions?.value ?? []) if (r.enabled) set.add(r.name);
  }
  return [...set].sort();
}
