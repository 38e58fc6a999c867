import { resolve } from 'node:path';
import { InputError, readSnapshotFile } from '@trailwarden/core';
import { OUTPUT_OPTIONS, helpText, parseCommandArgs } from '../args.js';
import type { CliIO } from '../io.js';
import { HISTORY_OPTIONS, addTrendOption, finishHistoryRun, openHistoryRun } from '../history-session.js';
import { evaluateAndReport, openSession, printSummary } from '../session.js';

const EVALUATE_OPTIONS = { ...OUTPUT_OPTIONS, ...HISTORY_OPTIONS };

export const EVALUATE_HELP = helpText(
  'trailwarden evaluate <snapshot.json> [options]',
  'Evaluate a snapshot offline (no AWS calls) and write the reports. Auditors keep snapshots as evidence; re-evaluating one gives the same findings.',
  [EVALUATE_OPTIONS],
);

export async function evaluateCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('evaluate', argv, EVALUATE_OPTIONS);
  if (args.values.help) {
    io.stdout.write(EVALUATE_HELP);
    return 0;
  }
  const [file, ...extra] = args.positionals;
  if (!file) throw new InputError('evaluate needs a snapshot file: trailwarden evaluate snapshot.json');
  if (extra.length) throw new InputError(`evaluate takes one snapshot file, got also: ${extra.join(' ')}`);
  const startedAt = new Date();
  const session = await openSession(args, io);
  const snapshot = await readSnapshotFile(resolve(io.cwd, file));
  const historyRun = await openHistoryRun(args, session);
  addTrendOption(historyRun, session);
  const evaluated = await evaluateAndReport(session, snapshot, startedAt);
  const { exitCode, baseline, recorded } = await finishHistoryRun(historyRun, session, snapshot, evaluated.result, evaluated.exitCode, evaluated.outcome.failed.length > 0);
  printSummary(session, evaluated.result, evaluated.outcome, exitCode, { baseline, recorded });
  return exitCode;
}
