import { fileURLToPath } from 'node:url';
import { readSnapshotFile } from '@trailwarden/core';
import { OUTPUT_OPTIONS, helpText, parseCommandArgs } from '../args.js';
import type { CliIO } from '../io.js';
import { evaluateAndReport, openSession, printSummary } from '../session.js';

const OPTIONS = { ...OUTPUT_OPTIONS };

export const DEMO_SNAPSHOT_PATH = fileURLToPath(new URL('../../demo/demo-snapshot.json', import.meta.url));

export const DEMO_HELP = helpText(
  'trailwarden demo [options]',
  'Scan the built-in demo organization (fictional "Acme": management, log-archive, security and workload accounts with good and broken trails) and write every report format to trailwarden-demo/. Touches no AWS account.',
  [OPTIONS],
);

export async function demoCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('demo', argv, OPTIONS);
  if (args.values.help) {
    io.stdout.write(DEMO_HELP);
    return 0;
  }
  const startedAt = new Date();
  const session = await openSession(args, io, { outputDir: 'trailwarden-demo' });
  const snapshot = await readSnapshotFile(DEMO_SNAPSHOT_PATH);
  const { result, outcome, exitCode } = await evaluateAndReport(session, snapshot, startedAt);
  printSummary(session, result, outcome, exitCode);
  if (!session.quiet) {
    io.stdout.write(`\nThis was the demo: a real scan with these results would exit ${exitCode}; the demo itself exits 0.\n`);
  }
  return outcome.failed.length ? 3 : 0;
}
