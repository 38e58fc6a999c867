/**
 * aws-cli-compatible text: `Digest file\ts3://…\t<status>` lines (valid ones only when verbose,
 * the rest on stderr followed by a blank line), the "No log files were delivered" gap line, and
 * the summary. Our additions are marked lines of their own (coverage gaps, chain links,
 * unreferenced files) so tools that parse aws-cli's lines still can.
 */
import type { ChainResult, Counts, FileResult, TrailIntegrity, VerifyLogsResult } from './result.js';

export interface TextOutput {
  stdout: string[];
  stderr: string[];
}

const status = (f: FileResult) => (f.status === 'valid' ? 'valid' : `${f.status}: ${f.reason ?? ''}`);
/** Control characters from hostile keys would forge lines; the tab separators are ours. */
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '?');

function fileLine(f: FileResult): string {
  return clean(`${f.backfill ? '(backfill) ' : ''}${f.kind === 'digest' ? 'Digest file' : 'Log file'}\ts3://${f.bucket}/${f.key}\t${status(f)}`);
}

function summary(label: string, c: Counts): string | undefined {
  const n = c.valid + c.invalid + c.unverified + c.error;
  if (n === 0) return undefined;
  let line = `${c.valid}/${n} ${label} files valid`;
  if (c.invalid) line += `, ${c.invalid}/${n} ${label} files INVALID`;
  if (c.unverified) line += `, ${c.unverified}/${n} ${label} files UNVERIFIED`;
  if (c.error) line += `, ${c.error}/${n} ${label} files could not be read`;
  return line;
}

function add(into: Counts, c: Counts): void {
  into.valid += c.valid;
  into.invalid += c.invalid;
  into.unverified += c.unverified;
  into.error += c.error;
}

function chainLines(chain: ChainResult, out: TextOutput): void {
  for (const f of chain.files) {
    if (f.status === 'valid') out.stdout.push(fileLine(f));
    else out.stderr.push(fileLine(f), '');
  }
  const where = `account ${chain.accountId}, ${chain.region}`;
  for (const g of chain.gaps) {
    if (g.label === 'chain-restart') out.stderr.push(`No log files were delivered by CloudTrail between ${g.start} and ${g.end}`, '');
    out.stderr.push(clean(`WARNING: coverage gap (${g.label}) ${g.start} to ${g.end} (${g.hours} h) in ${where}: ${g.explanation}`), '');
  }
  for (const l of chain.links) out.stderr.push(clean(`Digest file\t${l.newer}\tINVALID: chain link mismatch (${l.field}) with ${l.older}`), '');
  for (const u of chain.unreferenced) {
    const why = u.likely === 'injected' ? 'in a verified period but listed by no digest (injected?)' : 'delivered in a coverage gap (validation off, or its digest deleted)';
    out.stderr.push(clean(`WARNING: unreferenced log file\ts3://${u.bucket}/${u.key}\t${why}`), '');
  }
  for (const n of chain.notes) out.stderr.push(clean(`NOTE: ${where}: ${n}`), '');
}

export function trailText(t: TrailIntegrity, out: TextOutput): void {
  out.stdout.push(clean(`Validating log files for trail ${t.trailArn} between ${t.from} and ${t.to}`), '');
  for (const e of t.errors) out.stderr.push(clean(`ERROR: ${e}`), '');
  const digests: Counts = { valid: 0, invalid: 0, unverified: 0, error: 0 };
  const backfill: Counts = { ...digests };
  const logs: Counts = { ...digests };
  let foundStart: string | undefined;
  let foundEnd: string | undefined;
  for (const c of t.chains) {
    chainLines(c, out);
    add(digests, c.digests);
    add(backfill, c.backfillDigests);
    add(logs, c.logs);
    if (c.found) {
      if (!foundStart || c.found.start < foundStart) foundStart = c.found.start;
      if (!foundEnd || c.found.end > foundEnd) foundEnd = c.found.end;
    }
  }
  out.stdout.push(`Results requested for ${t.from} to ${t.to}`);
  const total = digests.valid + digests.invalid + digests.unverified + digests.error;
  if (total === 0) out.stdout.push('No digests found');
  else if (!foundStart) out.stdout.push('No valid digests found in range');
  else out.stdout.push(`Results found for ${foundStart} to ${foundEnd}:`);
  for (const line of [summary('digest', digests), summary('backfill digest', backfill), summary('log', logs)]) if (line) out.stdout.push('', line);
  out.stdout.push('');
}

export function resultText(result: VerifyLogsResult): TextOutput {
  const out: TextOutput = { stdout: [], stderr: [] };
  for (const t of result.trails) trailText(t, out);
  return out;
}
