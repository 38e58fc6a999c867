import { type CollectOptions, CollectorError, collect } from '@trailwarden/aws';
import { InputError, type LoadedCheck, type Snapshot, type SnapshotSection, collectRequests, resolveSections } from '@trailwarden/core';
import { type ParsedArgs, accountListOption, listOption, regionListOption } from './args.js';
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
    endpointUrl: str(v['endpoint-url']) ?? cfg.aws?.endpointUrl ?? (io.env.AWS_ENDPOINT_URL || undefined),
    region: str(v.region) ?? cfg.aws?.region,
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
  };
}

export async function runCollector(options: CollectOptions, io: CliIO, quiet: boolean): Promise<Snapshot> {
  const progress = progressReporter(io, quiet);
  try {
    return await collect({ ...options, onProgress: progress.update });
  } catch (e) {
    // The scan could not start (no usable credentials, wrong endpoint): the user's setup, not a bug.
    if (e instanceof CollectorError) throw new InputError(e.message);
    throw e;
  } finally {
    progress.done();
  }
}
