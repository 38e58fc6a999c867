import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ScaffoldError, scaffoldCheck } from './scaffold.js';

const USAGE = `Usage: npm create trailwarden-check <name> [-- options]
       create-trailwarden-check <name> [--dir <dir>] [--check-id <id>] [--description <text>] [--core-version <range>] [--from <dir>]

Writes a ready-to-publish Trailwarden check plugin into <dir> (default: ./<name without scope>).
--from <dir>: take @trailwarden/core and @trailwarden/testing from the tarballs that \`npm run pack\` wrote there
(until they are published on the npm registry).`;

/** Run the command; returns the exit code (0 done, 2 bad input). */
export function main(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): number {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    err(`create-trailwarden-check: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const name = positionals[0];
  if (!name || positionals.length > 1) {
    err(`create-trailwarden-check: ${name ? `one package name expected, got ${positionals.join(' ')}` : 'give the package name'}\n${USAGE}`);
    return 2;
  }
  try {
    const result = scaffoldCheck({
      dir: values.dir ?? basename(name),
      name,
      ...(values['check-id'] ? { checkId: values['check-id'] } : {}),
      ...(values.description ? { description: values.description } : {}),
      ...(values['core-version'] ? { coreVersion: values['core-version'] } : {}),
      ...(values.from ? { from: values.from } : {}),
    });
    out(`Created ${name} (check ${result.checkId}) in ${result.dir}:`);
    for (const f of result.files) out(`  ${f}`);
    out(`\nNext:\n  cd ${values.dir ?? basename(name)}\n  npm install\n  npm test\n  npm run build\nThen enable it in trailwarden.config.yaml:\n  plugins: [${JSON.stringify(name)}]`);
    return 0;
  } catch (e) {
    if (e instanceof ScaffoldError) {
      err(`create-trailwarden-check: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      'check-id': { type: 'string' },
      description: { type: 'string' },
      'core-version': { type: 'string' },
      from: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
