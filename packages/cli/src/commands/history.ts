import { InputError } from '@trailwarden/core';
import { helpText, parseCommandArgs } from '../args.js';
import type { CliIO } from '../io.js';
import { styleFor } from '../io.js';

const HISTORY_COMMAND_OPTIONS = {
  history: { type: 'string' as const, help: 'the history file (default: config history.file)', arg: 'FILE' },
  config: { type: 'string' as const, short: 'c', help: 'config file (default: ./trailwarden.config.{json,yaml,yml} if present)', arg: 'FILE' },
  json: { type: 'boolean' as const, help: 'print the scans as JSON' },
};

export const HISTORY_HELP = helpText(
  'trailwarden history --history FILE [--json]',
  'List the scans recorded in a history file (scan and evaluate record with --history): id, time, scope, counts, complete or not.',
  [HISTORY_COMMAND_OPTIONS],
);

export async function historyCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('history', argv, HISTORY_COMMAND_OPTIONS);
  if (args.values.help) {
    io.stdout.write(HISTORY_HELP);
    return 0;
  }
  if (args.positionals.length) throw new InputError(`history takes no arguments, got: ${args.positionals.join(' ')}`);
  const { loadConfig } = await import('@trailwarden/core');
  const config = await loadConfig(typeof args.values.config === 'string' ? args.values.config : undefined, io.cwd);
  const { historyFileFrom } = await import('../history-session.js');
  const file = historyFileFrom(args, { config, io });
  if (!file) throw new InputError('history needs a history file: --history FILE (or history.file in the config)');
  const { History } = await import('@trailwarden/history');
  const history = await History.open(file, { create: false });
  try {
    const scans = history.scans();
    if (args.values.json) {
      io.stdout.write(`${JSON.stringify({ file, schemaVersion: history.schemaVersion, scans }, null, 2)}\n`);
      return 0;
    }
    const s = styleFor(io, io.stdout as { isTTY?: boolean });
    if (scans.length === 0) {
      io.stdout.write(`No scans recorded in ${file} yet.\n`);
      return 0;
    }
    const rows = scans.map((x) => [
      String(x.id),
      x.startedAt.replace(/\.\d+Z$/, 'Z'),
      x.mode === 'organization' ? `org ${x.organizationId ?? ''}`.trim() : x.mode,
      String(x.accounts.length),
      String(x.counts.FAIL),
      String(x.counts.ERROR),
      String(x.counts.PASS),
      String(x.excepted),
      x.complete ? 'complete' : 'INCOMPLETE',
    ]);
    const head = ['ID', 'STARTED', 'SCOPE', 'ACCOUNTS', 'FAIL', 'ERROR', 'PASS', 'EXCEPTED', 'COVERAGE'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
    io.stdout.write(`${s.bold(line(head))}\n${rows.map((r) => (r[8] === 'complete' ? line(r) : s.yellow(line(r)))).join('\n')}\n`);
    return 0;
  } finally {
    history.close();
  }
}
