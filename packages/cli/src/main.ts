import { isInputError } from '@trailwarden/core';
import { checksCommand } from './commands/checks.js';
import { collectCommand } from './commands/collect.js';
import { demoCommand } from './commands/demo.js';
import { docsCommand } from './commands/docs.js';
import { evaluateCommand } from './commands/evaluate.js';
import { newCommand } from './commands/new.js';
import { scanCommand } from './commands/scan.js';
import { EXIT } from './exit-codes.js';
import type { CliIO } from './io.js';
import { TOOL } from './plugins.js';
import { didYouMean, InputError } from '@trailwarden/core';

type Command = (argv: string[], io: CliIO) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  scan: { run: scanCommand, summary: 'collect the organization, evaluate the checks, write the reports' },
  collect: { run: collectCommand, summary: 'collect the organization into a snapshot file' },
  evaluate: { run: evaluateCommand, summary: 'evaluate a snapshot file offline and write the reports' },
  checks: { run: checksCommand, summary: 'list the checks, or a framework’s controls and the checks covering them' },
  demo: { run: demoCommand, summary: 'scan the built-in demo organization (no AWS account needed)' },
  new: { run: newCommand, summary: 'scaffold a check plugin package: trailwarden new check <name>' },
  docs: { run: docsCommand, summary: 'write one Markdown page per check from the plugins’ metadata' },
};

export const MAIN_HELP = `Trailwarden ${TOOL.version} — is our audit trail trustworthy?

Usage: trailwarden <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run \`trailwarden <command> --help\` for a command's options.

Exit codes: 0 clean · 1 FAIL findings at or above --fail-on · 2 bad input (usage, config, snapshot, plugin) · 3 scan incomplete
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
      io.stdout.write(`${TOOL.version}\n`);
      return EXIT.clean;
    }
    const command = COMMANDS[name];
    if (!command) throw new InputError(`unknown command "${name}"${didYouMean(name, Object.keys(COMMANDS))}; commands: ${Object.keys(COMMANDS).join(', ')}`);
    return await command.run(rest, io);
  } catch (e) {
    if (isInputError(e)) {
      io.stderr.write(`trailwarden: ${e.message}\n`);
      if (debug) io.stderr.write(`${e.stack}\n`);
      return EXIT.badInput;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    io.stderr.write(`trailwarden: internal error: ${err.message}\n`);
    io.stderr.write(debug ? `${err.stack}\n` : 'Run again with --debug for the stack trace, and please report it.\n');
    return EXIT.incomplete;
  }
}
