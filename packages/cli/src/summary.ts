import { relative } from 'node:path';
import { type FailOn, SEVERITIES, type ScanResult, automationLine, summaryOf, terminalSafe } from '@trailwarden/core';
import { gatingFindings, isIncomplete } from './exit-codes.js';
import type { CliIO, Style } from './io.js';
import type { RenderOutcome } from './render.js';

/** Every string from AWS, a snapshot, a config or a plugin goes through this before the terminal. */
const t = (s: string | undefined) => terminalSafe(s ?? '');

/**
 * Expired exceptions (they no longer apply: their findings gate again) and exceptions expiring
 * within 30 days, one line each.
 */
export function exceptionWarnings(result: ScanResult): string[] {
  const out: string[] = [];
  for (const e of result.exceptions) {
    const what = `exception ${t(e.id)} (check ${t(e.check)}, resource ${t(e.resource)}, approver ${t(e.approver)})`;
    if (e.state === 'expired') out.push(`${what} expired on ${t(e.expires)}: it no longer applies, ${e.matched} finding(s) it covered count again`);
    else if (e.expiresSoon) out.push(`${what} expires on ${t(e.expires)}, in ${e.daysLeft} day(s): renew it or fix the ${e.matched} finding(s) it covers`);
  }
  return out;
}

/** What `--history` / `--baseline` did, for the summary. */
export interface SummaryHistory {
  baseline?: { label: string; known: number; gating: number } | undefined;
  recorded?: number | undefined;
}

/** The one-screen summary: counts by status and severity, worst checks, gaps, where the reports are. */
export function formatSummary(result: ScanResult, outcome: RenderOutcome | undefined, failOn: FailOn, exitCode: number, io: CliIO, s: Style, history: SummaryHistory = {}): string {
  const lines: string[] = [];
  // Core's summary: the same open counts and worst checks as the HTML and JSON reports.
  const { open, excepted, bySeverity, worstChecks } = summaryOf(result);
  const exceptedTotal = excepted.PASS + excepted.FAIL + excepted.ERROR + excepted.NOT_APPLICABLE;
  const scope =
    result.scan.mode === 'organization'
      ? `organization ${result.scan.organizationId ?? ''}`.trim()
      : result.scan.mode === 'single-account'
        ? 'single account'
        : 'snapshot';
  lines.push(
    s.bold(`Trailwarden ${result.tool.version}`) +
      ` — ${result.scan.accounts.length} account(s) (${t(scope)}), ${result.scan.regions.length} region(s), ${result.checks.length} check(s)`,
  );
  for (const note of result.scan.notes) lines.push(s.dim(`  note: ${t(note)}`));
  const sev = SEVERITIES.map((k) => `${k} ${bySeverity[k].FAIL}`).join(', ');
  lines.push(
    `  ${s.red(`FAIL ${open.FAIL}`)} (${sev}${exceptedTotal ? `; ${exceptedTotal} excepted` : ''})   ${s.yellow(`ERROR ${open.ERROR}`)}   ${s.green(`PASS ${open.PASS}`)}   N/A ${open.NOT_APPLICABLE}`,
  );

  const worst = worstChecks.slice(0, 6);
  if (worst.length) {
    lines.push('', s.bold('Worst checks'));
    const width = Math.max(...worst.map((c) => c.id.length));
    for (const c of worst) {
      const err = c.couldNotRun ? s.yellow(` could not run: ${t(c.couldNotRun)}`) : '';
      lines.push(`  ${t(c.id).padEnd(width)}  ${c.severity.padEnd(8)} ${String(c.fail).padStart(4)} FAIL ${String(c.error).padStart(4)} ERROR${err}`);
    }
  }

  if (result.frameworks.length) {
    lines.push('', s.bold('Frameworks') + s.dim(' (manual controls are listed in the reports, never as passed)'));
    const width = Math.max(...result.frameworks.map((f) => f.id.length));
    for (const f of result.frameworks) lines.push(`  ${t(f.id).padEnd(width)}  ${f.automation ? automationLine(f.automation) : ''}`);
  }

  const cov = result.coverage;
  if (!cov.complete) {
    const failed = cov.accounts.filter((a) => a.status === 'failed');
    const partial = cov.accounts.filter((a) => a.status === 'partial');
    lines.push('', s.bold('Not read') + s.dim(` (${cov.errors.length} collection error(s); all listed in the reports)`));
    for (const e of cov.errors.slice(0, 5)) {
      lines.push(`  ${t(e.accountId)}${e.region ? ` ${t(e.region)}` : ''}: ${t(e.operation)} ${t(e.code)}`);
    }
    if (cov.errors.length > 5) lines.push(s.dim(`  … and ${cov.errors.length - 5} more`));
    lines.push(s.dim(`  accounts unreadable: ${failed.length}, partly read: ${partial.length}`));
  }

  if (outcome) {
    lines.push('', s.bold('Reports'));
    for (const w of outcome.written) lines.push(`  ${w.format.padEnd(6)} ${t(relative(io.cwd, w.path) || w.path)}`);
    for (const f of outcome.failed) lines.push(s.red(`  ${f.format.padEnd(6)} not written: ${t(f.error)}`));
  }

  const warnings = exceptionWarnings(result);
  if (warnings.length) {
    lines.push('', s.bold('Exceptions'));
    for (const w of warnings) lines.push(s.yellow(`  ${w}`));
  }
  if (result.limits?.truncatedStrings) {
    lines.push('', s.dim(`${result.limits.truncatedStrings} string(s) over ${result.limits.maxStringChars} characters were cut in the reports (marked "truncated"); the snapshot keeps them whole.`));
  }

  if (history.recorded !== undefined) lines.push('', `Recorded in the history as scan ${history.recorded}.`);
  const { baseline } = history;
  if (baseline) lines.push('', `Baseline ${baseline.label}: ${baseline.gating} new or worse FAIL finding(s) gate; ${baseline.known} known one(s) left ungated.`);
  const gating = baseline ? baseline.gating : gatingFindings(result, failOn).length;
  const why =
    exitCode === 1
      ? `${gating} ${baseline ? 'new or worse ' : ''}FAIL finding(s) at or above --fail-on ${failOn}`
      : exitCode === 3
        ? 'the scan is incomplete: some data could not be read or some checks could not decide'
        : failOn === 'none'
          ? 'gate off (--fail-on none)'
          : baseline
            ? `no new or worse FAIL finding at or above --fail-on ${failOn} than the baseline`
          : `no FAIL finding at or above --fail-on ${failOn}`;
  if (exitCode === 1 && isIncomplete(result)) lines.push('', s.dim('The scan is also incomplete (see "Not read").'));
  lines.push('', `Exit ${exitCode}: ${why}.`);
  return `${lines.join('\n')}\n`;
}
