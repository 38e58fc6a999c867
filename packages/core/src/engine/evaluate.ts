import { performance } from 'node:perf_hooks';
import { frameworkReports } from '../catalogue/catalogue.js';
import { type ExceptionRule, applyExceptions } from '../config/exceptions.js';
import type { CheckSummary, Finding, ScanResult, Severity, Status } from '../model/result.js';
import { compareStatus } from '../model/status-order.js';
import { BUILTIN_PACKS, frameworksOf, resolvePacks } from '../packs/packs.js';
import type { FrameworkPack } from '../packs/types.js';
import { summarize } from '../summary/summary.js';
import type { JsonValue, Snapshot } from '../model/snapshot.js';
import type { Check } from '../plugin/api.js';
import { createSelectorEvaluator } from '../selectors/evaluator.js';
import { compareStrings, fingerprint } from '../util/stable.js';
import { type PoolOutcome, runChecksInWorkers } from './check-pool.js';
import type { RawFinding } from './context.js';
import { computeCoverage } from './coverage.js';
import { runCheckHere } from './run-check.js';
import { accountResource, buildSnapshotIndex } from './snapshot-index.js';

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
  const index = buildSnapshotIndex(snapshot);
  const selectors = createSelectorEvaluator(snapshot.partition);
  const findings: Finding[] = [];
  const summaries: CheckSummary[] = [];
  const collected = new Set(snapshot.sections);
  const packs = resolvePacks(
    opts.checks.map((l) => ({ id: l.check.id, meta: l.check.meta, plugin: l.plugin })),
    opts.packs ?? BUILTIN_PACKS,
  );

  const sorted = [...opts.checks].sort((a, b) => compareStrings(a.check.id, b.check.id));
  const defaultBudget = opts.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const missingSections = (loaded: LoadedCheck) => loaded.check.requires.filter((s: string) => !collected.has(s as never));
  const runnable = sorted.filter((l) => missingSections(l).length === 0);
  const pooled = opts.isolation === 'workers' ? runnable.filter((l) => l.source) : [];
  const outcomes = await runChecksInWorkers(
    snapshot,
    pooled.map((l) => ({
      checkId: l.check.id,
      file: (l.source as { file: string }).file,
      plugin: l.plugin,
      options: l.options,
      budgetMs: l.check.timeoutMs ?? defaultBudget,
    })),
    { now, ...(opts.workers ? { workers: opts.workers } : {}), ...(opts.onCheckDone ? { onCheckDone: opts.onCheckDone } : {}) },
  );

  for (const loaded of sorted) {
    const { check } = loaded;
    const severity = loaded.severity ?? check.meta.severity;
    const frameworks = frameworksOf(check, packs);
    let raw: RawFinding[] = [];
    let failure: string | undefined;

    const missing = missingSections(loaded);
    const inPool: PoolOutcome | undefined = outcomes.get(check.id);
    if (missing.length > 0) {
      failure = `the snapshot lacks the section(s) ${missing.join(', ')} that this check requires; collect again with this check enabled`;
    } else if (inPool) {
      raw = inPool.raw;
      failure = inPool.failure;
    } else {
      const checkStarted = performance.now();
      const env = { index, selectors, now };
      failure = await runCheckHere(loaded, env, check.timeoutMs ?? defaultBudget, (f) => raw.push(f));
      opts.onCheckDone?.(check.id, performance.now() - checkStarted);
    }
    if (failure !== undefined) {
      // Only FAILs the check reported before it failed stand (a problem found is found); its
      // other partial verdicts go, since a half-run check would read as a clean bill.
      raw = raw.filter((r) => r.status === 'FAIL');
      for (const id of index.accountIds) {
        raw.push({
          status: 'ERROR',
          resource: accountResource(index, id),
          message: `Check ${check.id} could not be evaluated: ${failure}.`,
          evidence: { reason: failure },
        });
      }
    }

    const counts = emptyCounts();
    for (const r of raw) {
      counts[r.status]++;
      findings.push({
        checkId: check.id,
        status: r.status,
        severity,
        accountId: r.resource.accountId,
        region: r.resource.region,
        resource: { arn: r.resource.arn, type: r.resource.type, name: r.resource.name },
        message: r.message,
        ...(r.messageId ? { messageId: r.messageId } : {}),
        evidence: r.evidence,
        frameworks,
        fingerprint: fingerprint(check.id, r.resource.accountId, r.resource.region, r.resource.arn),
      });
    }
    summaries.push({
      id: check.id,
      title: check.meta.title,
      description: check.meta.description,
      severity,
      resourceType: check.meta.resource,
      frameworks,
      remediation: check.meta.remediation,
      ...(check.meta.docs ? { docs: check.meta.docs } : {}),
      ...(check.meta.helpUri ? { helpUri: check.meta.helpUri } : {}),
      plugin: loaded.plugin,
      options: loaded.options as Record<string, JsonValue>,
      counts,
      ...(failure ? { error: failure } : {}),
    });
  }

  findings.sort(compareFindings);
  dedupeFindings(findings);
  const exceptions = applyExceptions(findings, opts.exceptions ?? [], now);
  // Recount: exceptions do not change statuses, but dedupe may have merged findings.
  for (const s of summaries) s.counts = emptyCounts();
  const byId = new Map(summaries.map((s) => [s.id, s]));
  for (const f of findings) {
    const s = byId.get(f.checkId);
    if (s) s.counts[f.status]++;
  }

  const org = snapshot.organization?.value;
  const coverage = computeCoverage(snapshot);
  return {
    tool: opts.tool ?? { name: 'trailwarden', version: '0.0.0' },
    scan: {
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
    },
    coverage,
    checks: summaries,
    findings,
    exceptions,
    frameworks: frameworkReports(summaries, findings, packs),
    summary: summarize({ checks: summaries, findings, coverage, exceptions }),
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
function dedupeFindings(findings: Finding[]): void {
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
}

function scannedRegions(snapshot: Snapshot): string[] {
  if (snapshot.scope.regions.length > 0) return [...snapshot.scope.regions].sort();
  const set = new Set<string>();
  for (const a of Object.values(snapshot.accounts)) {
    for (const r of a.regions?.value ?? []) if (r.enabled) set.add(r.name);
  }
  return [...set].sort();
}
