import { resolve } from 'node:path';
import { InputError, loadConfig } from '@trailwarden/core';
import {
  exitCodeOf,
  loadMetadataFile,
  loadPublicKeyFiles,
  MirrorSource,
  resultText,
  summarize,
  type TrailIntegrity,
  Verifier,
  type VerifyOptions,
} from '@trailwarden/integrity';
import { AWS_OPTIONS, helpText, listOption, parseCommandArgs } from '../args.js';
import { collectOptionsFrom, runCollector } from '../collector.js';
import type { CliIO } from '../io.js';
import { objectReadOptions, planTrails, timeRange, verifyOnline } from '../log-integrity.js';
import { writeAtomic } from '../render.js';

const OPTIONS = {
  ...AWS_OPTIONS,
  from: { type: 'string' as const, help: 'verify digests from this time (default: 7 days before --to)', arg: 'TIME' },
  to: { type: 'string' as const, help: 'verify digests up to this time (default: now)', arg: 'TIME' },
  trails: { type: 'string' as const, help: 'only these trails (names or ARNs), comma-separated', arg: 'LIST' },
  mirror: { type: 'string' as const, help: 'offline: a local copy of the bucket, as <DIR>/<bucket>/<key>', arg: 'DIR' },
  'public-keys': { type: 'string' as const, help: 'offline: `aws cloudtrail list-public-keys` JSON, FILE or REGION=FILE, comma-separated', arg: 'LIST' },
  metadata: { type: 'string' as const, help: 'offline: digest metadata captured at copy time ({"bucket/key": {"signature": ...}})', arg: 'FILE' },
  trail: { type: 'string' as const, help: 'offline: the trail ARN (home region, owner account and name)', arg: 'ARN' },
  bucket: { type: 'string' as const, help: 'offline: the trail bucket name (the folder under --mirror)', arg: 'NAME' },
  prefix: { type: 'string' as const, help: 'offline: the trail S3 key prefix', arg: 'PREFIX' },
  'organization-id': { type: 'string' as const, help: 'offline: an organization trail: its o-… id in the key layout', arg: 'ID' },
  format: { type: 'string' as const, help: 'stdout format: text (aws-cli lines, default) or json', arg: 'FORMAT' },
  output: { type: 'string' as const, short: 'o', help: 'also write the JSON result to this file', arg: 'FILE' },
  verbose: { type: 'boolean' as const, short: 'v', help: 'print valid files too (as aws-cli --verbose)' },
  strict: { type: 'boolean' as const, help: 'exit 1 on unexplained coverage gaps and unreferenced log files too' },
  config: { type: 'string' as const, short: 'c', help: 'config file (AWS settings, scope)', arg: 'FILE' },
  quiet: { type: 'boolean' as const, short: 'q', help: 'no progress output' },
};

export const VERIFY_LOGS_HELP = helpText(
  'trailwarden verify-logs [--from TIME] [--to TIME] [options]\n       trailwarden verify-logs --mirror DIR --public-keys FILE --trail ARN --bucket NAME [--metadata FILE]',
  'Prove that no CloudTrail log file was deleted, changed or slipped in: verify the signed digest chains and every log file they list, for every trail with log file validation on, in every account and source region. Prints aws-cli `validate-logs` lines; exit 1 if any file is INVALID, 3 if some could not be read.',
  [OPTIONS],
);

const ARN = /^arn:([a-z-]+):cloudtrail:([a-z0-9-]+):(\d{12}):trail\/([A-Za-z0-9._-]{3,128})$/;

export async function verifyLogsCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('verify-logs', argv, OPTIONS);
  const v = args.values;
  if (v.help) {
    io.stdout.write(VERIFY_LOGS_HELP);
    return 0;
  }
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  const format = str(v.format) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new InputError(`--format: "${format}" is not text or json`);
  const range = timeRange(str(v.from), str(v.to), new Date());
  if (typeof range === 'string') throw new InputError(range);
  const options: VerifyOptions = { ...range, keepValid: v.verbose === true };
  let trails: TrailIntegrity[];
  let source: string;
  let calls: object | undefined;
  let incomplete = false;
  if (typeof v.mirror === 'string') {
    const trailArn = str(v.trail);
    const m = trailArn ? ARN.exec(trailArn) : null;
    if (!m) throw new InputError('--mirror needs --trail ARN (arn:aws:cloudtrail:<home-region>:<account>:trail/<name>)');
    const bucket = str(v.bucket);
    if (!bucket) throw new InputError('--mirror needs --bucket NAME (the trail bucket, a folder under the mirror)');
    const keySpecs = listOption(v['public-keys']);
    if (!keySpecs) throw new InputError('--mirror needs --public-keys FILE (the output of aws cloudtrail list-public-keys), or REGION=FILE per region');
    let publicKeys: Awaited<ReturnType<typeof loadPublicKeyFiles>>;
    let metadata: Awaited<ReturnType<typeof loadMetadataFile>> | undefined;
    try {
      const inCwd = (spec: string) => {
        const m = /^([a-z]{2}(?:-[a-z]+)+-\d+)=(.+)$/.exec(spec);
        return m ? `${m[1]}=${resolve(io.cwd, m[2]!)}` : resolve(io.cwd, spec);
      };
      publicKeys = await loadPublicKeyFiles(keySpecs.map(inCwd));
      metadata = typeof v.metadata === 'string' ? await loadMetadataFile(resolve(io.cwd, v.metadata)) : undefined;
    } catch (err) {
      throw new InputError((err as Error).message);
    }
    const orgId = str(v['organization-id']);
    if (orgId && !/^o-[a-z0-9]{10,32}$/.test(orgId)) throw new InputError(`--organization-id: "${orgId}" is not an organization id (o-xxxxxxxxxx)`);
    const mirror = new MirrorSource({ root: resolve(io.cwd, v.mirror), publicKeys, ...(metadata ? { metadata } : {}) });
    source = mirror.label;
    const verifier = new Verifier(mirror, options);
    trails = [
      await verifier.verifyTrail({
        trailArn: trailArn!,
        trailName: m[4]!,
        homeRegion: m[2]!,
        bucket,
        ...(str(v.prefix) ? { prefix: str(v.prefix)! } : {}),
        ...(orgId ? { organizationId: orgId } : { expectedAccounts: [m[3]!] }),
        expectedRegions: [m[2]!],
      }),
    ];
  } else {
    for (const flag of ['public-keys', 'metadata', 'trail', 'bucket', 'prefix', 'organization-id']) {
      if (v[flag] !== undefined) throw new InputError(`--${flag} is for offline verification; use it with --mirror DIR`);
    }
    const config = await loadConfig(str(v.config), io.cwd);
    const collectOptions = collectOptionsFrom(args, { config }, ['organization', 'trails', 'trailStatus', 'buckets'], io);
    const snapshot = await runCollector(collectOptions, io, v.quiet === true || format === 'json');
    const plan = planTrails(snapshot, listOption(v.trails));
    for (const s of plan.skipped) io.stderr.write(`NOTE: ${s}\n`);
    if (plan.trails.length === 0) io.stderr.write('NOTE: no trail with log file validation on was found; nothing to verify.\n');
    const run = await verifyOnline(plan.trails, objectReadOptions(collectOptions), options);
    trails = run.trails;
    calls = run.calls;
    incomplete = plan.skipped.some((s) => s.startsWith('account '));
    source = 's3';
  }
  const result = summarize(source, trails[0]?.from ?? range.from.toISOString(), trails[0]?.to ?? range.to.toISOString(), trails);
  if (typeof v.output === 'string') await writeAtomic(resolve(io.cwd, v.output), `${JSON.stringify(result, null, 2)}\n`);
  if (format === 'json') io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    const text = resultText(result);
    const stdout = v.verbose ? text.stdout : text.stdout.filter((l) => !/^(\(backfill\) )?(Digest|Log) file\t.*\tvalid$/.test(l));
    if (text.stderr.length) io.stderr.write(`${text.stderr.join('\n')}\n`);
    io.stdout.write(`${stdout.join('\n')}\n`);
    if (calls && v.verbose) io.stderr.write(`AWS calls: ${JSON.stringify(calls)}\n`);
  }
  const code = exitCodeOf(result, v.strict === true);
  return code === 0 && incomplete ? 3 : code;
}
