import { basename, relative, resolve } from 'node:path';
import { InputError } from '@trailwarden/core';
import { scaffoldCheck } from 'create-trailwarden-check';
import { helpText, parseCommandArgs } from '../args.js';
import type { CliIO } from '../io.js';
import { toolVersion } from '../version.js';

const OPTIONS = {
  dir: { type: 'string' as const, help: 'directory to create (default: the package name without its scope)', arg: 'DIR' },
  'check-id': { type: 'string' as const, help: 'id of the sample check (default: derived from the name)', arg: 'ID' },
  description: { type: 'string' as const, help: 'one-line description for package.json and the README', arg: 'TEXT' },
  from: { type: 'string' as const, help: 'take @trailwarden/core and @trailwarden/testing from the tarballs `npm run pack` wrote in DIR', arg: 'DIR' },
};

export const NEW_HELP = helpText(
  'trailwarden new check <package-name> [options]',
  'Write a ready-to-publish check plugin package: package.json (peer dependency on @trailwarden/core), src/index.ts with a sample check, a test with the @trailwarden/testing kit, a README and a build script. Same as `npm create trailwarden-check <name>`.',
  [OPTIONS],
);

export async function newCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('new', argv, OPTIONS);
  if (args.values.help) {
    io.stdout.write(NEW_HELP);
    return 0;
  }
  const [kind, name, ...extra] = args.positionals;
  if (kind !== 'check') throw new InputError(`what to create? \`trailwarden new check <package-name>\`${kind ? ` (got "${kind}")` : ''}`);
  if (!name) throw new InputError('give the new package a name: trailwarden new check trailwarden-check-my-rule');
  if (extra.length) throw new InputError(`one package name expected, got also: ${extra.join(' ')}`);
  const dir = typeof args.values.dir === 'string' ? args.values.dir : basename(name);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const result = scaffoldCheck({
    dir: resolve(io.cwd, dir),
    name,
    checkId: str(args.values['check-id']),
    description: str(args.values.description),
    coreVersion: `^${toolVersion()}`,
    ...(str(args.values.from) ? { from: resolve(io.cwd, str(args.values.from) as string) } : {}),
  });
  const shown = relative(io.cwd, result.dir) || '.';
  io.stdout.write(`Created ${name} (check ${result.checkId}) in ${shown}:\n${result.files.map((f) => `  ${f}`).join('\n')}\n`);
  io.stdout.write(`\nNext:\n  cd ${shown} && npm install && npm test && npm run build\nThen enable it in trailwarden.config.yaml:\n  plugins: [${JSON.stringify(name)}]\n`);
  return 0;
}
