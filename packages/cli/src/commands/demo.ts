import { DEMO_WORLD_PATH, startSimulator } from '@trailwarden/sim';
import { resolveSections, sectionsOfCheck } from '@trailwarden/core';
import { OUTPUT_OPTIONS, helpText, parseCommandArgs } from '../args.js';
import { runCollector } from '../collector.js';
import type { CliIO } from '../io.js';
import { evaluateAndReport, openSession, printSummary } from '../session.js';

const DEMO_OUTPUT_DIR = 'trailwarden-demo';

const OPTIONS = {
  ...OUTPUT_OPTIONS,
  output: { type: 'string' as const, short: 'o', help: `directory for the reports (default: ${DEMO_OUTPUT_DIR})`, arg: 'DIR' },
  world: { type: 'string' as const, help: 'scan this world file instead of the built-in demo world', arg: 'FILE' },
};

export const DEMO_HELP = helpText(
  'trailwarden demo [options]',
  `Start the built-in AWS simulator on a free loopback port, scan its demo organization (fictional "Acme": management, log-archive, security and workload accounts with good and broken trails) with the real collector, write every report format to ${DEMO_OUTPUT_DIR}/ (or --output), and stop the simulator. Touches no AWS account.`,
  [OPTIONS],
);

export async function demoCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('demo', argv, OPTIONS);
  if (args.values.help) {
    io.stdout.write(DEMO_HELP);
    return 0;
  }
  const startedAt = new Date();
  const session = await openSession(args, io, { outputDir: DEMO_OUTPUT_DIR });
  const world = typeof args.values.world === 'string' ? args.values.world : DEMO_WORLD_PATH;
  const sim = await startSimulator({ world, port: 0 });
  const simulatorUrl = sim.url;
  let snapshot: Awaited<ReturnType<typeof runCollector>>;
  try {
    if (!session.quiet) io.stderr.write(`Simulated AWS organization listening on ${sim.url}\n`);
    snapshot = await runCollector(
      {
        sections: resolveSections(session.checks.flatMap((c) => sectionsOfCheck(c.check))),
        endpointUrl: sim.url,
        credentials: sim.callerCredentials,
        region: 'us-east-1',
      },
      io,
      session.quiet,
    );
    const mutations = sim.counters().mutations;
    if (mutations !== 0) throw new Error(`the collector sent ${mutations} mutating call(s) to the simulator`);
  } finally {
    await sim.stop();
  }
  const { result, outcome, exitCode } = await evaluateAndReport(session, snapshot, startedAt, { endpoint: simulatorUrl });
  printSummary(session, result, outcome, exitCode);
  if (!session.quiet) io.stdout.write(`\nThis was the demo: a real scan with these results would exit ${exitCode}; the demo itself exits 0.\n`);
  return outcome.failed.length ? 3 : 0;
}
