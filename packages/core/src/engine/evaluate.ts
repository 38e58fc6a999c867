import { performance } from 'node:perf_hooks';
import { type Catalogue, frameworkReports } from '../catalogue/catalogue.js';
import { type ExceptionRule, applyExceptions } from '../config/exceptions.js';
import type { CheckSummary, Finding, ScanResult, Severity, Status } from '../model/result.js';
import type { JsonValue, Snapshot } from '../model/snapshot.js';
import type { Check } from '../plugin/api.js';
import { createSelectorEvaluator } from '../selectors/evaluator.js';
import { compareStrings, fingerprint } from '../util/stable.js';
import { CheckBudgetExceeded, type RawFinding, createCheckContext } from './context.js';
import { computeCoverage } from './coverage.js';
import { accountResource, buildSnapshotIndex } from './snapshot-index.js';

/** A check ready to run: the plugin it came from and its validated options (defaults applied). */
export interface LoadedCheck {
  // biome-ignore lint/suspicious/noExplicitAny: checks of any option type run side by side
  check: Check<any, any, any>;
  plugin: { name: string; version?: string };
  options: Record<string, unknown>;
  /** Severity override from the config. */
  severity?: Severity;
}

export interface EvaluateOptions {
  checks: LoadedCheck[];
  /** The evaluation's clock (exception expiry, delivery age). Default: the system clock. */
  now?: Date;
  /** Per-check budget in milliseconds unless the check sets its own. Default 60 s. */
  timeoutMs?: number;
  exceptions?: ExceptionRule[];
  catalogue?: Catalogue;
  tool?: { name: string; version: string };
  startedAt?: Date;
  /** Called after each check with its wall time (benchmarks, `--debug` timings); not in the result, which stays deterministic. */
  onCheckDone?: (checkId: string, ms: number) => void;
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

  const sorted = [...opts.checks].sort((a, b) => compareStrings(a.check.id, b.check.id));
  for (const loaded of sorted) {
    const { check } = loaded;
    const severity = loaded.severity ?? check.meta.severity;
    const raw: RawFinding[] = [];
    let failure: string | undefined;
    const checkStarted = performance.now();

    const missing = check.requires.filter((s: string) => !collected.has(s as never));
    if (missing.length > 0) {
      failure = `the snapshot lacks the section(s) ${missing.join(', ')} that this check requires; collect again with this check enabled`;
    } else {
      failure = await runCheck(loaded, raw, index, selectors, now, opts.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS);
    }
    if (failure !== undefined) {
      // The check's partial verdicts are dropped: a half-run check would read as a clean bill.
      raw.length = 0;
      for (const id of index.accountIds) {
        raw.push({
          status: 'ERROR',
          resource: accountResource(index, id),
          message: `Check ${check.id} could not be evaluated: ${failure}.`,
          evidence: { reason: failure },
        });
      }
    }

    opts.onCheckDone?.(check.id, performance.now() - checkStarted);
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
        frameworks: check.meta.frameworks ?? {},
        fingerprint: fingerprint(check.id, r.resource.accountId, r.resource.region, r.resource.arn),
      });
    }
    summaries.push({
      id: check.id,
      title: check.meta.title,
      description: check.meta.description,
      severity,
      resourceType: check.meta.resource,
      frameworks: check.meta.frameworks ?? {},
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
    coverage: computeCoverage(snapshot),
    checks: summaries,
    findings,
    exceptions,
    frameworks: frameworkReports(summaries, findings, opts.catalogue),
  };
}

async function runCheck(
  loaded: LoadedCheck,
  raw: RawFinding[],
  index: ReturnType<typeof buildSnapshotIndex>,
  selectors: ReturnType<typeof createSelectorEvaluator>,
  now: Date,
  defaultTimeoutMs: number,
): Promise<string | undefined> {
  const { check } = loaded;
  const budget = check.timeoutMs ?? defaultTimeoutMs;
  const deadline = performance.now() + budget;
  let timedOut = false;
  const guard = () => {
    if (timedOut || performance.now() > deadline) {
      timedOut = true;
      throw new CheckBudgetExceeded(budget);
    }
  };
  const ctx = createCheckContext({
    checkId: check.id,
    plugin: loaded.plugin.name,
    ...(check.collect ? { collect: check.collect } : {}),
    messages: check.meta.messages,
    options: Object.freeze({ ...loaded.options }),
    now,
    index,
    selectors,
    emit: (f) => raw.push(f),
    guard,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = check.evaluate(ctx);
    if (result && typeof (result as Promise<void>).then === 'function') {
      await Promise.race([
        result,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            timedOut = true;
            reject(new CheckBudgetExceeded(budget));
          }, budget);
        }),
      ]);
    }
    // A synchronous check that never touched the context after its deadline still overran.
    if (performance.now() > deadline) throw new CheckBudgetExceeded(budget);
    return undefined;
  } catch (e) {
    if (e instanceof CheckBudgetExceeded) return e.message;
    const err = e instanceof Error ? e : new Error(String(e));
    return `it threw ${err.name}: ${err.message}`;
  } finally {
    if (timer) clearTimeout(timer);
  }
}

function emptyCounts(): Record<Status, number> {
  return { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0 };
}

const STATUS_ORDER: Record<Status, number> = { FAIL: 0, ERROR: 1, PASS: 2, NOT_APPLICABLE: 3 };

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.checkId, b.checkId) ||
    compareStrings(a.accountId, b.accountId) ||
    compareStrings(a.region, b.region) ||
    compareStrings(a.resource.arn, b.resource.arn) ||
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
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
