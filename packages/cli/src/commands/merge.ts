import { resolve } from 'node:path';
import { InputError, mergeSnapshotParts, terminalSafe } from '@trailwarden/core';
import { helpText, parseCommandArgs } from '../args.js';
import type { CliIO } from '../io.js';
import { assertWritableFile } from '../output-target.js';

const OPTIONS = {
  output: { type: 'string' as const, short: 'o', help: 'merged snapshot file to write (default: trailwarden-snapshot.json)', arg: 'FILE' },
  'allow-partial': { type: 'boolean' as const, help: 'merge even when shards are missing: their accounts are recorded as not read (ERROR in every check, exit 3 on evaluate)' },
};

export const MERGE_HELP = helpText(
  'trailwarden merge <part.json>... [--output snapshot.json] [--allow-partial]',
  'Merge the parts of one sharded scan (`trailwarden collect --shard K/N`) into one snapshot; `trailwarden evaluate` it as a single scan. Refuses parts of different scans, a shard twice, and a missing shard (named) unless --allow-partial.',
  [OPTIONS],
);

export async function mergeCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('merge', argv, OPTIONS);
  if (args.values.help) {
    io.stdout.write(MERGE_HELP);
    return 0;
  }
  if (args.positionals.length === 0) throw new InputError('merge needs the part files: trailwarden merge part-1.json part-2.json … -o snapshot.json');
  const out = resolve(io.cwd, typeof args.values.output === 'string' ? args.values.output : 'trailwarden-snapshot.json');
  const parts = args.positionals.map((p) => resolve(io.cwd, p));
  if (parts.includes(out)) throw new InputError(`${out} is one of the parts; write the merged snapshot to another file`, '--output');
  await assertWritableFile(out, typeof args.values.output === 'string' ? '--output' : 'snapshot file');
  const merged = await mergeSnapshotParts(parts, out, { allowPartial: args.values['allow-partial'] === true });
  for (const m of merged.missing) {
    io.stderr.write(`trailwarden: shard ${m.index} is missing (--allow-partial): its ${m.accounts.length} account(s) are recorded as not read\n`);
  }
  io.stdout.write(`Wrote ${terminalSafe(out)} (${merged.accounts} account(s) from ${merged.shards} shard(s)${merged.missing.length ? `, ${merged.missing.length} missing` : ''}).\n`);
  return 0;
}
