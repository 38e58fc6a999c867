import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { type FailOn, type Finding, InputError, type ScanResult, type Snapshot } from '@trailwarden/core';
import type { DiffFinding, History } from '@trailwarden/history';
import type { ParsedArgs } from './args.js';
import { gatingFindings, isIncomplete } from './exit-codes.js';
import { readJsonFile } from './scan-source.js';
import type { Session } from './session.js';

/** `--history` and `--baseline`, shared by scan and evaluate. */
export const HISTORY_OPTIONS = {
  history: { type: 'string' as const, help: 'record the scan in this SQLite history file (created if missing; also config history.file)', arg: 'FILE' },
  baseline: {
    type: 'string' as const,
    help: 'gate only on FAIL findings new or worse than this baseline: report.json | history:latest | history:<id>',
    arg: 'REF',
  },
};

export interface Baseline {
  label: string;
  findings: Map<string, DiffFinding>;
}

export interface HistoryRun {
  history?: History;
  baseline?: Baseline;
}

/** The history file named by `--history`, else by the config's `history.file` (relative to the config). */
export function historyFileFrom(args: ParsedArgs, session: Pick<Session, 'config' | 'io'>): string | undefined {
  const flag = args.values.history;
  if (typeof flag === 'string') return resolve(session.io.cwd, flag);
  const configured = session.config.config.history?.file;
  return configured ? resolve(session.config.baseDir, configured) : undefined;
}

/** Open the history and load the baseline before any scan work, so bad input costs no scan time. */
export async function openHistoryRun(args: ParsedArgs, session: Pick<Session, 'config' | 'io'>): Promise<HistoryRun> {
  const file = historyFileFrom(args, session);
  const ref = typeof args.values.baseline === 'string' ? args.values.baseline : undefined;
  const run: HistoryRun = {};
  if (file) {
    const { History } = await import('@trailwarden/history');
    run.history = await History.open(file);
  }
  if (ref !== undefined) {
    try {
      run.baseline = await loadBaseline(ref, run.history, session.io.cwd);
    } catch (e) {
      run.history?.close();
      throw e;
    }
  }
  return run;
}

async function loadBaseline(ref: string, history: History | undefined, cwd: string): Promise<Baseline> {
  const m = /^history:(latest|[0-9]+)$/.exec(ref);
  if (m) {
    if (!history) throw new InputError(`--baseline ${ref} needs a history file: add --history FILE (or history.file in the config)`);
    const scan = m[1] === 'latest' ? history.latest() : history.scan(Number(m[1]));
    // No scan yet: everything is new, which is what a first CI run should gate on.
    if (!scan) {
      if (m[1] === 'latest') return { label: `${ref} (the history is empty: every FAIL is new)`, findings: new Map() };
      throw new InputError(`--baseline ${ref}: no scan ${m[1]} in ${history.file}; \`trailwarden history --history ${history.file}\` lists them`);
    }
    return { label: `history scan ${scan.id} (${scan.startedAt})`, findings: byFingerprint(history.diffFindings(scan.id)) };
  }
  if (ref.startsWith('history:')) throw new InputError(`--baseline ${ref}: use history:latest or history:<scan id>`);
  const file = resolve(cwd, ref);
  const doc = await readJsonFile(file, '--baseline');
  return { label: ref, findings: byFingerprint(reportFindings(doc, file, '--baseline')) };
}

/** The findings of a Trailwarden JSON report (checked enough to diff on; names the file and field). */
export function reportFindings(doc: unknown, file: string, where: string): DiffFinding[] {
  const findings = (doc as { findings?: unknown })?.findings;
  if (!Array.isArray(findings)) throw new InputError(`${file} is not a Trailwarden JSON report (no "findings" list)`, where);
  findings.forEach((f: Partial<Finding>, i) => {
    const bad = !f || typeof f.fingerprint !== 'string' || typeof f.status !== 'string' || typeof f.severity !== 'string' || typeof f.checkId !== 'string';
    if (bad) throw new InputError(`${file}: findings[${i}] lacks fingerprint, checkId, status or severity`, where);
  });
  return findings as DiffFinding[];
}

function byFingerprint(findings: readonly DiffFinding[]): Map<string, DiffFinding> {
  return new Map(findings.map((f) => [f.fingerprint, f]));
}

export interface BaselineOutcome {
  label: string;
  /** FAIL findings at or above --fail-on that the baseline already had (at the same or a higher severity). */
  known: number;
  /** New or worse FAIL findings at or above --fail-on: the ones that gate. */
  gating: number;
}

/** Exit code gated on new-or-worse findings only (the same order as without a baseline: 1, then 3, then 0). */
export function baselineGate(result: ScanResult, failOn: FailOn, baseline: Baseline, isWorse: (a: DiffFinding | undefined, b: DiffFinding) => boolean): { exitCode: number; outcome: BaselineOutcome } {
  const candidates = gatingFindings(result, failOn);
  const gating = candidates.filter((f) => isWorse(baseline.findings.get(f.fingerprint), f));
  const exitCode = gating.length > 0 ? 1 : isIncomplete(result) ? 3 : 0;
  return { exitCode, outcome: { label: baseline.label, known: candidates.length - gating.length, gating: gating.length } };
}

/** Scans of the history the HTML report's per-check trend covers (the latest ones). */
const TREND_SCANS = 10;

/**
 * With a history open, the HTML report shows each check's FAIL count over the last recorded scans:
 * passed to the html reporter as its `trend` option (the reporter appends this scan's count).
 */
export function addTrendOption(run: HistoryRun, session: Session): void {
  if (!run.history) return;
  const scans = run.history.scans().slice(-TREND_SCANS);
  const fails: Record<string, number[]> = {};
  const index = new Map(scans.map((s, i) => [s.id, i]));
  for (const c of run.history.checkCounts(scans.map((s) => s.id))) {
    // -1: the check did not run in that scan (not the same as no FAIL).
    const row = fails[c.checkId] ?? scans.map(() => -1);
    fails[c.checkId] = row;
    row[index.get(c.scanId) ?? 0] = c.counts.FAIL;
  }
  const cfg = session.config.config;
  cfg.reporters = { ...cfg.reporters, html: { ...cfg.reporters?.html, trend: { scans: scans.map((s) => ({ id: s.id, startedAt: s.startedAt })), fails } } };
}

/** After evaluation: record the scan (if a history is open) and apply the baseline to the exit code. */
export async function finishHistoryRun(
  run: HistoryRun,
  session: Session,
  snapshot: Snapshot,
  result: ScanResult,
  exitCode: number,
  renderFailed = false,
): Promise<{ exitCode: number; baseline?: BaselineOutcome; recorded?: number }> {
  const out: { exitCode: number; baseline?: BaselineOutcome; recorded?: number } = { exitCode };
  if (run.baseline) {
    const { isWorse } = await import('@trailwarden/history');
    const gate = baselineGate(result, session.failOn, run.baseline, isWorse);
    out.baseline = gate.outcome;
    // A report that could not be written keeps the run incomplete (3) unless something new gates.
    out.exitCode = gate.exitCode === 0 && renderFailed ? 3 : gate.exitCode;
  }
  if (run.history) {
    try {
      out.recorded = run.history.record({
        result,
        snapshotDigest: snapshotDigest(snapshot),
        plugins: session.plugins.plugins.map((p) => (p.version ? { name: p.name, version: p.version } : { name: p.name })),
      });
    } catch (e) {
      // The reports are written; only the record is missing (e.g. the file stayed locked). Say so, and
      // never call such a run clean.
      session.io.stderr.write(`trailwarden: the scan was not recorded in ${run.history.file}: ${(e as Error).message}\n`);
      if (out.exitCode === 0) out.exitCode = 3;
    } finally {
      run.history.close();
    }
  }
  return out;
}

/** sha256 of the snapshot as JSON: ties a recorded scan to the snapshot file an auditor keeps. */
export function snapshotDigest(snapshot: Snapshot): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(snapshot)).digest('hex')}`;
}
