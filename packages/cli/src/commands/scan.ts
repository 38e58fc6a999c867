import { join } from 'node:path';
import { InputError, sectionsOfCheck } from '@trailwarden/core';
import { mkdir } from 'node:fs/promises';
import { AWS_OPTIONS, OUTPUT_OPTIONS, helpText, parseCommandArgs } from '../args.js';
import { announcePluginActions, assertSomethingScanned, collectOptionsFrom, runCollector } from '../collector.js';
import type { CliIO } from '../io.js';
import { attachLogIntegrity } from '../log-integrity.js';
import { writeAtomic } from '../render.js';
import { HISTORY_OPTIONS, addTrendOption, finishHistoryRun, openHistoryRun } from '../history-session.js';
import { evaluateAndReport, openSession, printSummary } from '../session.js';

const SCAN_OPTIONS = {
  ...OUTPUT_OPTIONS,
  ...AWS_OPTIONS,
  ...HISTORY_OPTIONS,
  'keep-snapshot': { type: 'boolean' as const, help: 'also write the snapshot (trailwarden-snapshot.json) beside the reports' },
  'verify-logs': { type: 'boolean' as const, help: 'also verify every trail’s digest chains and log files (check trail-log-integrity; reads objects: see the verify-logs policy)' },
};

export const SCAN_HELP = helpText(
  'trailwarden scan [options]',
  'Collect every account and region of the organization (read-only), evaluate the checks, write the reports.\nCredentials come from the AWS SDK default chain (--profile, SSO, environment, instance role).',
  [SCAN_OPTIONS],
);

export async function scanCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('scan', argv, SCAN_OPTIONS);
  if (args.values.help) {
    io.stdout.write(SCAN_HELP);
    return 0;
  }
  if (args.positionals.length) throw new InputError(`scan takes no arguments, got: ${args.positionals.join(' ')}`);
  const startedAt = new Date();
  const session = await openSession(args, io);
  const historyRun = await openHistoryRun(args, session);
  const options = collectOptionsFrom(args, session, session.checks.flatMap((c) => sectionsOfCheck(c.check)), io, session.checks);
  await announcePluginActions(options, io);
  const snapshot = await runCollector(options, io, session.quiet);
  assertSomethingScanned(snapshot, options.regions);
  const integrity = session.checks.find((c) => c.check.id === 'trail-log-integrity');
  if (integrity) await attachLogIntegrity(snapshot, options, Number(integrity.options.days ?? 7), session.now ?? new Date());
  if (args.values['keep-snapshot']) {
    await mkdir(session.outputDir, { recursive: true });
    await writeAtomic(join(session.outputDir, 'trailwarden-snapshot.json'), `${JSON.stringify(snapshot, null, 2)}\n`);
  }
  addTrendOption(historyRun, session);
  const evaluated = await evaluateAndReport(session, snapshot, startedAt, options.endpointUrl ? { endpoint: options.endpointUrl } : {});
  const { exitCode, baseline, recorded } = await finishHistoryRun(historyRun, session, snapshot, evaluated.result, evaluated.exitCode, evaluated.outcome.failed.length > 0);
  printSummary(session, evaluated.result, evaluated.outcome, exitCode, { baseline, recorded });
  return exitCode;
}
