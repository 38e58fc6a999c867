import { type CollectOptions, CollectorError, collect, planExtensions } from '@trailwarden/aws';
import { InputError, type LoadedCheck, didYouMean, type Snapshot, type SnapshotSection, collectRequests, resolveSections, terminalSafe } from '@trailwarden/core';
import { DEFAULT_SCAN_TIMEOUT, type ParsedArgs, accountListOption, durationOption, endpointUrlOption, listOption, regionListOption } from './args.js';
import type { CliIO } from './io.js';
import { progressReporter } from './progress.js';
import type { Session } from './session.js';

/** `checks`: the checks to run; their plugins' `collect` entries are collected too. */
export function collectOptionsFrom(args: ParsedArgs, session: Pick<Session, 'config'>, sections: SnapshotSection[], io: CliIO, checks: readonly LoadedCheck[] = []): CollectOptions {
  const v = args.values;
  const cfg = session.config.config;
  const concurrency = typeof v.concurrency === 'string' ? Number(v.concurrency) : cfg.aws?.concurrency;
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)) {
    throw new InputError(`--concurrency: "${v.concurrency}" must be a whole number from 1 to 256`);
  }
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  const extensions = collectRequests(checks);
  return {
    sections: resolveSections(sections),
    // Never from the config file: a config in a branch must not choose where credentials are sent.
    endpointUrl: endpointUrlOption(str(v['endpoint-url']), '--endpoint-url') ?? endpointUrlOption(io.env.AWS_ENDPOINT_URL, 'AWS_ENDPOINT_URL'),
    region: homeRegionOption(str(v.region)) ?? cfg.aws?.region,
    profile: str(v.profile) ?? cfg.aws?.profile,
    roleName: str(v['role-name']) ?? cfg.aws?.roleName ?? 'OrganizationAccountAccessRole',
    managementRoleName: str(v['management-role-name']) ?? cfg.aws?.managementRoleName,
    externalId: str(v['external-id']) ?? cfg.aws?.externalId,
    accounts: accountListOption('accounts', v.accounts) ?? cfg.scope?.accounts,
    excludeAccounts: accountListOption('exclude-accounts', v['exclude-accounts']) ?? cfg.scope?.excludeAccounts,
    ous: listOption(v.ous) ?? cfg.scope?.ous,
    regions: regionListOption(v.regions) ?? cfg.scope?.regions,
    ...(concurrency ? { concurrency } : {}),
    ...(extensions.length > 0 ? { extensions } : {}),
    ...(cfg.collection?.allow?.length ? { collectionAllow: cfg.collection.allow } : {}),
    timeoutMs:
      typeof v.timeout === 'string'
        ? durationOption(v.timeout, '--timeout')
        : durationOption(cfg.scanTimeout ?? DEFAULT_SCAN_TIMEOUT, `${session.config.path ?? 'config'}: scanTimeout`),
  };
}

/** `--region`: a region name (its partition decides where the credentials are sent); unset: the SDK's AWS_REGION / profile region. */
function homeRegionOption(value: string | undefined): string | undefined {
  if (value !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(value)) throw new InputError(`--region: "${value}" is not a region name (like eu-west-1, us-gov-west-1 or cn-north-1)`);
  return value;
}

/** The collection stopped at --timeout before anything could be read: exit 3 (incomplete), never 2. */
export class ScanStopped extends Error {
  readonly exitCode = 3;
  constructor(message: string) {
    super(message);
    this.name = 'ScanStopped';
  }
}

/**
 * Before any AWS call: the IAM actions the enabled plugins' entries add to the collector's own,
 * each checked against the allow-list (a refused or not allowed one is exit 2, naming it), printed
 * so the scan role can be granted exactly these.
 */
export async function announcePluginActions(options: CollectOptions, io: CliIO): Promise<void> {
  if (!options.extensions?.length) return;
  let planned: Awaited<ReturnType<typeof planExtensions>>;
  try {
    planned = await planExtensions(options.extensions, options.collectionAllow ?? []);
  } catch (e) {
    if (e instanceof CollectorError) throw new InputError(e.message);
    throw e;
  }
  const actions = [...new Map(planned.map((p) => [p.action, p])).values()].sort((a, b) => a.action.localeCompare(b.action));
  const list = actions.map((p) => `${p.action} (${p.allowedBy === 'config' ? 'collection.allow' : 'built-in allow-list'})`).join(', ');
  io.stderr.write(`trailwarden: ${terminalSafe(`plugin collection needs these IAM actions beyond the collector's own: ${list}`)}\n`);
}

/**
 * A scan that read nothing is a mistake in its scope, not a clean result: zero accounts, a region
 * that no account knows (a typo: did-you-mean), or regions that select nothing. Exit 2 with the reason.
 */
export function assertSomethingScanned(snapshot: Snapshot, requestedRegions: readonly string[] | undefined): void {
  const notes = snapshot.scope.notes ?? [];
  if (snapshot.scope.accounts.length === 0) {
    throw new InputError(`the scan selected no account${notes.length ? `: ${notes.join(' ')}` : ' (check --accounts, --exclude-accounts, --ous and the config scope)'}`);
  }
  if (!requestedRegions?.length) return;
  const withRegions = Object.values(snapshot.accounts).filter((a) => a.regions?.value);
  if (withRegions.length === 0) return;
  const known = new Set(withRegions.flatMap((a) => (a.regions?.value ?? []).map((r) => r.name)));
  for (const r of requestedRegions) {
    if (!known.has(r)) throw new InputError(`"${r}" is not a region of this partition${didYouMean(r, known)}; known: ${[...known].sort().join(', ')}`, 'regions');
  }
  const enabled = new Set(withRegions.flatMap((a) => (a.regions?.value ?? []).filter((x) => x.enabled).map((x) => x.name)));
  if (!requestedRegions.some((r) => enabled.has(r))) {
    throw new InputError(`the scan selected no region: none of ${requestedRegions.join(', ')} is enabled in any scanned account`, 'regions');
  }
}

export async function runCollector(options: CollectOptions, io: CliIO, quiet: boolean): Promise<Snapshot> {
  const progress = progressReporter(io, quiet);
  try {
    const snapshot = await collect({ ...options, onProgress: progress.update });
    progress.done();
    // Stopped mid-scan (--timeout, or the caller's credentials expired): one line saying why, even with
    // --quiet; what was read is still evaluated and reported (incomplete, exit 3).
    const stopped = snapshot.scope.notes?.find((n) => n.startsWith('The scan stopped early'));
    if (stopped) io.stderr.write(`trailwarden: ${terminalSafe(stopped.replace(/^The scan/, 'the scan'))}\n`);
    return snapshot;
  } catch (e) {
    if (e instanceof CollectorError && e.code === 'ScanTimeout') throw new ScanStopped(`${e.message}, before the caller could be identified: nothing was read and no report was written`);
    // The scan could not start (no usable credentials, wrong endpoint): the user's setup, not a bug.
    if (e instanceof CollectorError) throw new InputError(e.message);
    throw e;
  } finally {
    progress.done();
  }
}
