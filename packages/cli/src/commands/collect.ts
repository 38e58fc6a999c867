import { resolve } from 'node:path';
import { SNAPSHOT_SECTIONS, sectionsOfCheck, selectChecks, terminalSafe, validateSnapshot, writeSnapshotFile } from '@trailwarden/core';
import { AWS_OPTIONS, helpText, listOption, parseCommandArgs, trustOptions } from '../args.js';
import { announcePluginActions, assertSomethingScanned, collectOptionsFrom, runCollector } from '../collector.js';
import { assertWritableFile } from '../output-target.js';
import { announceInputs, loadEffectiveConfig } from '../trust.js';
import type { CliIO } from '../io.js';
import { loadAllPlugins } from '../plugins.js';
import { attachLogIntegrity } from '../log-integrity.js';
import { shardOption } from '../shard-option.js';

const OPTIONS = {
  ...AWS_OPTIONS,
  output: { type: 'string' as const, short: 'o', help: 'snapshot file to write (default: trailwarden-snapshot.json)', arg: 'FILE' },
  config: { type: 'string' as const, short: 'c', help: 'config file (scope, AWS settings, enabled checks)', arg: 'FILE' },
  checks: { type: 'string' as const, help: 'collect only what these checks need (default: every enabled check)', arg: 'LIST' },
  all: { type: 'boolean' as const, help: 'collect every section, whatever the enabled checks need' },
  quiet: { type: 'boolean' as const, short: 'q', help: 'no progress output' },
  ...trustOptions(),
  'verify-logs': { type: 'boolean' as const, help: 'also verify the trails’ digest chains and log files into the snapshot (check trail-log-integrity)' },
  shard: { type: 'string' as const, help: 'collect shard K of N of the accounts (by a hash of the id), or auto (Kubernetes, AWS Batch, TRAILWARDEN_SHARD_INDEX); then `trailwarden merge`', arg: 'K/N|auto' },
  'shard-count': { type: 'string' as const, help: 'with --shard auto: the number of shards when the engine gives only the index (a Kubernetes Indexed Job’s completions)', arg: 'N' },
};

export const COLLECT_HELP = helpText(
  'trailwarden collect [--output snapshot.json] [options]',
  'Read the organization (read-only) and write a snapshot, to evaluate later with `trailwarden evaluate` or keep as evidence.',
  [OPTIONS],
);

export async function collectCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('collect', argv, OPTIONS);
  if (args.values.help) {
    io.stdout.write(COLLECT_HELP);
    return 0;
  }
  const shard = shardOption(args.values.shard, args.values['shard-count'], io.env);
  const config = await loadEffectiveConfig(args, io);
  const pluginSet = await loadAllPlugins(config);
  const { plugins } = pluginSet;
  const checks = selectChecks({
    plugins,
    config: config.config,
    configWhere: config.path ?? 'config',
    only: listOption(args.values.checks),
    ...(args.values['verify-logs'] === true ? { enable: ['trail-log-integrity'] } : {}),
  });
  const sections = args.values.all ? [...SNAPSHOT_SECTIONS] : checks.flatMap((c) => sectionsOfCheck(c.check));
  const out = resolve(io.cwd, typeof args.values.output === 'string' ? args.values.output : 'trailwarden-snapshot.json');
  await assertWritableFile(out, typeof args.values.output === 'string' ? '--output' : 'snapshot file');
  const options = { ...collectOptionsFrom(args, { config }, sections, io, checks), ...(shard ? { shard: { index: shard.index, count: shard.count } } : {}) };
  announceInputs(io, config, pluginSet);
  if (shard) io.stderr.write(`trailwarden: shard ${shard.index}/${shard.count} (${terminalSafe(shard.source)})\n`);
  await announcePluginActions(options, io);
  const snapshot = await runCollector(options, io, args.values.quiet === true);
  // A shard may hold none of a small selection's accounts; the selection itself must not be empty.
  if (!snapshot.shard?.selection?.length || snapshot.scope.accounts.length > 0) assertSomethingScanned(snapshot, options.regions);
  const integrity = checks.find((c) => c.check.id === 'trail-log-integrity');
  if (integrity) await attachLogIntegrity(snapshot, options, Number(integrity.options.days ?? 7), new Date());
  validateSnapshot(snapshot, 'collected snapshot');
  await writeSnapshotFile(out, snapshot as unknown as Record<string, unknown>);
  const accounts = Object.keys(snapshot.accounts).length;
  const of = snapshot.shard ? ` of ${snapshot.shard.selection?.length ?? 0}, shard ${snapshot.shard.index}/${snapshot.shard.count}` : '';
  io.stdout.write(`Wrote ${terminalSafe(out)} (${accounts} account(s)${of}, sections: ${snapshot.sections.join(', ')}).\n`);
  // Stopped early (--timeout, expired credentials): what was read is written, and it is incomplete.
  return snapshot.scope.notes?.some((n) => n.startsWith('The scan stopped early')) ? 3 : 0;
}
