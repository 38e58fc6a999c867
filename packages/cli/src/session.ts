import { resolve } from 'node:path';
import {
  type FailOn,
  type LoadedCheck,
  type LoadedConfig,
  type Reporter,
  type ScanResult,
  type Snapshot,
  evaluate,
  loadConfig,
  selectChecks,
} from '@trailwarden/core';
import { type ParsedArgs, failOnOption, listOption, nowOption } from './args.js';
import { exitCodeFor } from './exit-codes.js';
import { type CliIO, styleFor } from './io.js';
import { type PluginSet, TOOL, loadAllPlugins, selectFormats } from './plugins.js';
import { type RenderOutcome, renderReports } from './render.js';
import { formatSummary } from './summary.js';

/** Everything an evaluating command needs, resolved from flags and config before any work starts. */
export interface Session {
  io: CliIO;
  config: LoadedConfig;
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
  const config = await loadConfig(typeof v.config === 'string' ? v.config : undefined, io.cwd);
  const plugins = await loadAllPlugins(config);
  const checks = selectChecks({
    plugins: plugins.plugins,
    config: config.config,
    configWhere: config.path ?? 'config',
    only: listOption(v.checks),
    ...(v['verify-logs'] === true ? { enable: ['trail-log-integrity'] } : {}),
  });
  const reporters = selectFormats(listOption(v.format) ?? config.config.output?.formats ?? defaults.formats, plugins.reporters);
  const outputDir = resolve(io.cwd, typeof v.output === 'string' ? v.output : (config.config.output?.dir ?? defaults.outputDir ?? 'trailwarden-out'));
  return {
    io,
    config,
    plugins,
    checks,
    reporters,
    outputDir,
    failOn: failOnOption(v['fail-on'], config.config.failOn),
    now: nowOption(v.now),
    quiet: v.quiet === true,
  };
}

export async function evaluateAndReport(session: Session, snapshot: Snapshot, startedAt: Date): Promise<{ result: ScanResult; outcome: RenderOutcome; exitCode: number }> {
  const result = await evaluate(snapshot, {
    checks: session.checks,
    now: session.now,
    startedAt,
    exceptions: session.config.config.exceptions,
    timeoutMs: session.config.config.timeoutMs,
    tool: TOOL,
  });
  const outcome = await renderReports(result, session.reporters, session.outputDir, session.config.config.reporters);
  let exitCode = exitCodeFor(result, session.failOn);
  if (outcome.failed.length > 0 && exitCode === 0) exitCode = 3;
  return { result, outcome, exitCode };
}

export function printSummary(session: Session, result: ScanResult, outcome: RenderOutcome, exitCode: number): void {
  const { io } = session;
  if (session.quiet) {
    for (const w of outcome.written) io.stdout.write(`${w.path}\n`);
    for (const f of outcome.failed) io.stderr.write(`trailwarden: ${f.format} report not written: ${f.error}\n`);
    return;
  }
  io.stdout.write(formatSummary(result, outcome, session.failOn, exitCode, io, styleFor(io, io.stdout as { isTTY?: boolean })));
}
