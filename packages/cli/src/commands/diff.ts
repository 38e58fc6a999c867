import { InputError, type Snapshot } from '@trailwarden/core';
import { type ParsedArgs, helpText, listOption, parseCommandArgs } from '../args.js';
import { DIFF_FORMATS, type DiffFormat } from '../diff-format.js';
import { type CliIO, styleFor } from '../io.js';
import { writeAtomic } from '../render.js';

const DIFF_OPTIONS = {
  history: { type: 'string' as const, help: 'history file holding the scans named by id (default: config history.file)', arg: 'FILE' },
  format: { type: 'string' as const, help: 'text (default), json or markdown (for a pull-request comment or $GITHUB_STEP_SUMMARY)', arg: 'FORMAT' },
  output: { type: 'string' as const, short: 'o', help: 'write to this file instead of standard output', arg: 'FILE' },
  config: { type: 'string' as const, short: 'c', help: 'config file, for evaluating snapshot files (checks, options, exceptions)', arg: 'FILE' },
  checks: { type: 'string' as const, help: 'when evaluating snapshot files: only these check ids, comma-separated', arg: 'LIST' },
  now: { type: 'string' as const, help: 'when evaluating snapshot files: evaluate as of this ISO time', arg: 'TIME' },
};

export const DIFF_HELP = helpText(
  'trailwarden diff <A> <B> [options]',
  `Compare two scans: findings new in B, fixed, changed (status or severity), still failing, newly unreadable.
A and B are each a scan id in the history (12, latest, previous), a JSON report file, or a snapshot file (evaluated now).
Exit 0 when nothing is new or newly unreadable, 1 otherwise.`,
  [DIFF_OPTIONS],
);

export async function diffCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('diff', argv, DIFF_OPTIONS);
  if (args.values.help) {
    io.stdout.write(DIFF_HELP);
    return 0;
  }
  const [a, b, ...extra] = args.positionals;
  if (!a || !b) throw new InputError('diff needs two scans: trailwarden diff <A> <B> (scan ids, JSON reports or snapshot files)');
  if (extra.length) throw new InputError(`diff compares two scans, got also: ${extra.join(' ')}`);
  const format = (typeof args.values.format === 'string' ? args.values.format : 'text') as DiffFormat;
  if (!DIFF_FORMATS.includes(format)) throw new InputError(`--format: "${format}" is not one of ${DIFF_FORMATS.join(', ')}`);

  const { loadConfig } = await import('@trailwarden/core');
  const config = await loadConfig(typeof args.values.config === 'string' ? args.values.config : undefined, io.cwd);
  const { historyFileFrom } = await import('../history-session.js');
  const file = historyFileFrom(args, { config, io });
  const needsHistory = [a, b].some((r) => /^(?:history:)?(latest|previous|[0-9]+)$/.test(r));
  const history = file && needsHistory ? await (await import('@trailwarden/history')).History.open(file, { create: false }) : undefined;
  try {
    const { resolveScanSource } = await import('../scan-source.js');
    const ctx = { cwd: io.cwd, ...(history ? { history } : {}), evaluateSnapshot: (s: Snapshot) => evaluateSnapshot(s, args, io) };
    const before = await resolveScanSource(a, 'diff A', ctx);
    const after = await resolveScanSource(b, 'diff B', ctx);
    const { diffFindings } = await import('@trailwarden/history');
    const d = diffFindings(before.findings, after.findings);
    const { diffToJson, diffToMarkdown, diffToText } = await import('../diff-format.js');
    const sides = { before, after };
    const out =
      format === 'json'
        ? `${JSON.stringify(diffToJson(d, sides), null, 2)}\n`
        : format === 'markdown'
          ? diffToMarkdown(d, sides)
          : diffToText(d, sides, styleFor(io, typeof args.values.output === 'string' ? {} : (io.stdout as { isTTY?: boolean })));
    if (typeof args.values.output === 'string') {
      const { resolve } = await import('node:path');
      await writeAtomic(resolve(io.cwd, args.values.output), out);
    } else io.stdout.write(out);
    return d.new.length + d.newlyUnreadable.length > 0 ? 1 : 0;
  } finally {
    history?.close();
  }
}

/** A snapshot operand is evaluated with the configured checks, as `evaluate` would. */
async function evaluateSnapshot(snapshot: Snapshot, args: ParsedArgs, io: CliIO) {
  const { openSession } = await import('../session.js');
  const { evaluate } = await import('@trailwarden/core');
  const { TOOL } = await import('../plugins.js');
  const session = await openSession({ values: { config: args.values.config, checks: listOption(args.values.checks)?.join(','), now: args.values.now, format: 'json' }, positionals: [] }, io);
  const result = await evaluate(snapshot, { checks: session.checks, now: session.now, exceptions: session.config.config.exceptions, timeoutMs: session.config.config.timeoutMs, tool: TOOL });
  return result.findings;
}
