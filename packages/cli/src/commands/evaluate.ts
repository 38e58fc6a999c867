import { resolve } from 'node:path';
import { InputError, readSnapshotFile } from '@trailwarden/core';
import { OUTPUT_OPTIONS, helpText, parseCommandArgs } from '../args.js';
import type { CliIO } from '../io.js';
import { evaluateAndReport, openSession, printSummary } from '../session.js';

export const EVALUATE_HELP = helpText(
  'trailwarden evaluate <snapshot.json> [options]',
  'Evaluate a snapshot offline (no AWS calls) and write the reports. Auditors keep snapshots as evidence; re-evaluating one gives the same findings.',
  [OUTPUT_OPTIONS],
);

export async function evaluateCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('evaluate', argv, OUTPUT_OPTIONS);
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
  const { result, outcome, exitCode } = await evaluateAndReport(session, snapshot, startedAt);
  printSummary(session, result, outcome, exitCode);
  return exitCode;
}
