import { EXIT } from './exit-codes.js';
import type { CliIO } from './io.js';
import { toolVersion } from './version.js';

type Command = (argv: string[], io: CliIO) => Promise<number>;

/**
 * Each command is imported only when it runs: `--help`, `--version` and `checks` must not pay for
 * the AWS SDK, the reporters or the ajv schemas that `scan` needs.
 */
const COMMANDS: Record<string, { load: () => Promise<Command>; summary: string }> = {
  scan: { load: async () => (await import('./commands/scan.js')).scanCommand, summary: 'collect the organization, evaluate the checks, write the reports' },
  collect: { load: async () => (await import('./commands/collect.js')).collectCommand, summary: 'collect the organization into a snapshot file' },
  merge: { load: async () => (await import('./commands/merge.js')).mergeCommand, summary: 'merge the parts of a sharded collection (collect --shard K/N) into one snapshot' },
  evaluate: { load: async () => (await import('./commands/evaluate.js')).evaluateCommand, summary: 'evaluate a snapshot file offline and write the reports' },
  checks: { load: async () => (await import('./commands/checks.js')).checksCommand, summary: 'list the checks, or a framework’s controls and the checks covering them' },
  demo: { load: async () => (await import('./commands/demo.js')).demoCommand, summary: 'scan the built-in demo organization (no AWS account needed)' },
  new: { load: async () => (await import('./commands/new.js')).newCommand, summary: 'scaffold a check plugin package: trailwarden new check <name>' },
  'verify-logs': { load: async () => (await import('./commands/verify-logs.js')).verifyLogsCommand, summary: 'prove no CloudTrail log file was deleted, changed or slipped in (digest chains)' },
  docs: { load: async () => (await import('./commands/docs.js')).docsCommand, summary: 'write one Markdown page per check from the plugins’ metadata' },
  policy: { load: async () => (await import('./commands/policy.js')).policyCommand, summary: "print the scanning role's read-only IAM policy (--partition, --role-name)" },
  history: { load: async () => (await import('./commands/history.js')).historyCommand, summary: 'list the scans recorded in a history file (--history)' },
  diff: { load: async () => (await import('./commands/diff.js')).diffCommand, summary: 'compare two scans: new, fixed, changed, still failing, newly unreadable' },
  evidence: { load: async () => (await import('./commands/evidence.js')).evidenceCommand, summary: 'the auditor’s period report from a history file: every scan, gap days, blind windows, exceptions' },
};

export const MAIN_HELP = `Trailwarden ${toolVersion()} — is our audit trail trustworthy?

Usage: trailwarden <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run \`trailwarden <command> --help\` for a command's options.

Exit codes: 0 clean · 1 FAIL findings at or above --fail-on · 2 bad input (usage, config, snapshot, plugin, output) · 3 scan incomplete · 4 internal error
`;

/** Run the CLI; returns the exit code. Bad input is one line on stderr (stack only with --debug). */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const debug = argv.includes('--debug');
  const [name, ...rest] = argv;
  try {
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      io.stdout.write(MAIN_HELP);
      return name ? EXIT.clean : EXIT.badInput;
    }
    if (name === '--version' || name === '-v') {
      io.stdout.write(`${toolVersion()}\n`);
      return EXIT.clean;
    }
    const command = COMMANDS[name];
    if (!command) {
      const { didYouMean, InputError } = await import('@trailwarden/core');
      throw new InputError(`unknown command "${name}"${didYouMean(name, Object.keys(COMMANDS))}; commands: ${Object.keys(COMMANDS).join(', ')}`);
    }
    return await (await command.load())(rest, io);
  } catch (e) {
    const { isInputError, terminalSafe } = await import('@trailwarden/core');
    if (isInputError(e)) {
      io.stderr.write(`trailwarden: ${terminalSafe(e.message)}\n`);
      if (debug) io.stderr.write(`${terminalSafe(e.stack ?? '', true)}\n`);
      return EXIT.badInput;
    }
    if (e instanceof Error && e.name === 'ScanStopped') {
      io.stderr.write(`trailwarden: ${terminalSafe(e.message)}\n`);
      return EXIT.incomplete;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    io.stderr.write(`trailwarden: internal error: ${terminalSafe(err.message)}\n`);
    io.stderr.write(debug ? `${terminalSafe(err.stack ?? '', true)}\n` : 'Run again with --debug for the stack trace, and please report it.\n');
    // 4, not 3: a CI that tolerates an incomplete scan must still fail on a crash.
    return EXIT.internalError;
  }
}
