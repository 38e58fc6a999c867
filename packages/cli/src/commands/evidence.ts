import { join, resolve } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { InputError } from '@trailwarden/core';
import { helpText, listOption, parseCommandArgs } from '../args.js';
import type { CliIO } from '../io.js';
import { writeAtomic } from '../render.js';

const EVIDENCE_OPTIONS = {
  history: { type: 'string' as const, help: 'the history file (default: config history.file)', arg: 'FILE' },
  from: { type: 'string' as const, help: 'first day of the period (UTC date like 2026-01-01, or an ISO time); required', arg: 'DATE' },
  to: { type: 'string' as const, help: 'last day of the period, included (UTC date, or an ISO time: excluded); required', arg: 'DATE' },
  format: { type: 'string' as const, help: 'html,json (default: both)', arg: 'LIST' },
  output: { type: 'string' as const, short: 'o', help: 'directory for trailwarden-evidence.{html,json} (default: trailwarden-out)', arg: 'DIR' },
  frameworks: { type: 'string' as const, help: 'only these framework ids, comma-separated (e.g. cis-aws-3.0.0,aws-fsbp)', arg: 'LIST' },
  config: { type: 'string' as const, short: 'c', help: 'config file (default: ./trailwarden.config.{json,yaml,yml} if present)', arg: 'FILE' },
};

export const EVIDENCE_HELP = helpText(
  'trailwarden evidence --history FILE --from DATE --to DATE [--format html,json]',
  'The auditor’s period report, from the history alone: per framework control every scan in the period and its status, the days no scan covered, the blind windows and weakening changes trail-logging-continuity found, and the exceptions in force with approver and expiry.',
  [EVIDENCE_OPTIONS],
);

const FORMATS = ['html', 'json'];

export async function evidenceCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('evidence', argv, EVIDENCE_OPTIONS);
  if (args.values.help) {
    io.stdout.write(EVIDENCE_HELP);
    return 0;
  }
  if (args.positionals.length) throw new InputError(`evidence takes no arguments, got: ${args.positionals.join(' ')}`);
  const { buildEvidence, parsePeriodBound } = await import('@trailwarden/history');
  const bound = (name: 'from' | 'to'): number => {
    const v = args.values[name];
    if (typeof v !== 'string') throw new InputError(`evidence needs --${name} DATE (a UTC date like 2026-01-31)`);
    const t = parsePeriodBound(v);
    if (Number.isNaN(t)) throw new InputError(`--${name}: "${v}" is not a date (2026-01-31) or an ISO time`);
    // A bare --to date includes that whole day.
    return name === 'to' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? t + 86_400_000 : t;
  };
  const from = bound('from');
  const to = bound('to');
  if (to <= from) throw new InputError('--to must be after --from');
  const formats = listOption(args.values.format) ?? FORMATS;
  for (const f of formats) if (!FORMATS.includes(f)) throw new InputError(`--format: "${f}" is not one of ${FORMATS.join(', ')}`);

  const { loadConfig } = await import('@trailwarden/core');
  const config = await loadConfig(typeof args.values.config === 'string' ? args.values.config : undefined, io.cwd);
  const { historyFileFrom } = await import('../history-session.js');
  const file = historyFileFrom(args, { config, io });
  if (!file) throw new InputError('evidence needs a history file: --history FILE (or history.file in the config)');
  const { History, renderEvidenceHtml } = await import('@trailwarden/history');
  const history = await History.open(file, { create: false });
  let report: ReturnType<typeof buildEvidence>;
  try {
    const frameworks = listOption(args.values.frameworks);
    report = buildEvidence(history, new Date(from), new Date(to), frameworks ? { frameworks } : {});
  } finally {
    history.close();
  }
  const dir = resolve(io.cwd, typeof args.values.output === 'string' ? args.values.output : (config.config.output?.dir ?? 'trailwarden-out'));
  await mkdir(dir, { recursive: true });
  for (const f of formats) {
    const path = join(dir, `trailwarden-evidence.${f}`);
    await writeAtomic(path, f === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderEvidenceHtml(report));
    io.stdout.write(`${path}\n`);
  }
  io.stdout.write(`${report.scans.length} scan(s) in the period, ${report.days.gaps.length} gap day(s), ${report.blindWindows.length} blind window(s), ${report.weakeningChanges.length} weakening change(s), ${report.exceptions.length} exception(s).\n`);
  return 0;
}
