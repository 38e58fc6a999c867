import { resolve } from 'node:path';
import {
  type FailOn,
  type LoadedCheck,
  type Reporter,
  type ScanResult,
  type Snapshot,
  assertExceptionAccounts,
  assertExceptionChecks,
  assertReporterOptions,
  boundResult,
  evaluate,
  selectChecks,
} from '@trailwarden/core';
import { type ParsedArgs, failOnOption, listOption, nowOption } from './args.js';
import { exitCodeFor } from './exit-codes.js';
import { type CliIO, styleFor } from './io.js';
import { type PluginSet, TOOL, loadAllPlugins, selectFormats } from './plugins.js';
import { type RenderOutcome, renderReports } from './render.js';
import { assertWritableDir } from './output-target.js';
import { type SummaryHistory, exceptionWarnings, formatSummary } from './summary.js';
import { type EffectiveConfig, announceInputs, loadEffectiveConfig, provenanceOf } from './trust.js';

/** Everything an evaluating command needs, resolved from flags and config before any work starts. */
export interface Session {
  io: CliIO;
  config: EffectiveConfig;
  plugins: PluginSet;
  checks: LoadedCheck[];
  reporters: Reporter[];
  outputDir: string;
  failOn: FailOn;
  now?: Date;
  quiet: boolean;
}

/** Validate all input up front (config, plugins, check ids, options, formats) so bad input costs no scan time. */
export async function openSession(args: ParsedArgs, io: CliIO, defaults: { outputDir?: string; formats?: string[] } = {}): Promise<Session> {
  const v = args.values;
  const config = await loadEffectiveConfig(args, io);
  const plugins = await loadAllPlugins(config);
  assertExceptionChecks(
    config.config.exceptions ?? [],
    plugins.plugins.flatMap((p) => p.checks.map((c) => c.id)),
    config.path ?? 'config',
  );
  const checks = selectChecks({
    plugins: plugins.plugins,
    config: config.config,
    configWhere: config.path ?? 'config',
    only: listOption(v.checks),
    ...(v['verify-logs'] === true ? { enable: ['trail-log-integrity'] } : {}),
  });
  const reporters = selectFormats(listOption(v.format) ?? config.config.output?.formats ?? defaults.formats, plugins.reporters);
  // Every installed reporter's options, not only the selected formats': a typo should not wait for the day the format is used.
  assertReporterOptions([...plugins.reporters.values()], config.config.reporters, config.path ?? 'config');
  const outputDir = resolve(io.cwd, typeof v.output === 'string' ? v.output : (config.config.output?.dir ?? defaults.outputDir ?? 'trailwarden-out'));
  const failOn = failOnOption(v['fail-on'], config.config.failOn);
  const now = nowOption(v.now);
  // Before any collection: an output problem found after an hour of reading would lose the hour.
  await assertWritableDir(outputDir, typeof v.output === 'string' ? '--output' : `${config.path ?? 'config'}: output.dir`);
  announceInputs(io, config, plugins);
  return {
    io,
    config,
    plugins,
    checks,
    reporters,
    outputDir,
    failOn,
    now,
    quiet: v.quiet === true,
  };
}

/** How the snapshot was obtained, for the reports' provenance. */
export interface SnapshotOrigin {
  endpoint?: string;
}

export async function evaluateAndReport(
  session: Session,
  snapshot: Snapshot,
  startedAt: Date,
  origin: SnapshotOrigin = {},
): Promise<{ result: ScanResult; outcome: RenderOutcome; exitCode: number }> {
  const org = snapshot.organization?.value;
  if (org) assertExceptionAccounts(session.config.config.exceptions ?? [], org.accounts.map((a) => a.id), session.config.path ?? 'config');
  const evaluated = await evaluate(snapshot, {
    checks: session.checks,
    now: session.now,
    startedAt,
    exceptions: session.config.config.exceptions,
    timeoutMs: session.config.config.timeoutMs,
    // Worker threads, so a check stuck past its budget is terminated, not waited for.
    isolation: 'workers',
    tool: TOOL,
  });
  const stopped = snapshot.scope.notes?.find((n) => n.startsWith('The scan stopped early'));
  evaluated.provenance = provenanceOf(session.config, session.plugins, snapshot, origin.endpoint, stopped);
  // Reports get bounded strings; the snapshot keeps everything.
  const result = boundResult(evaluated);
  const outcome = await renderReports(result, session.reporters, session.outputDir, session.config.config.reporters);
  let exitCode = exitCodeFor(result, session.failOn);
  if (outcome.failed.length > 0 && exitCode === 0) exitCode = 3;
  return { result, outcome, exitCode };
}

export function printSummary(session: Session, result: ScanResult, outcome: RenderOutcome, exitCode: number, history: SummaryHistory = {}): void {
  const { io } = session;
  if (session.quiet) {
    // Expired and expiring exceptions are called out even in quiet mode: they change what gates.
    for (const w of exceptionWarnings(result)) io.stderr.write(`trailwarden: ${w}\n`);
    for (const w of outcome.written) io.stdout.write(`${w.path}\n`);
    for (const f of outcome.failed) io.stderr.write(`trailwarden: ${f.format} report not written: ${f.error}\n`);
    return;
  }
  io.stdout.write(formatSummary(result, outcome, session.failOn, exitCode, io, styleFor(io, io.stdout as { isTTY?: boolean }), history));
}
