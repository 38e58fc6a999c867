import type { Known, KnownError } from '../model/known.js';
import type { AccountCoverage, Coverage, CoverageError } from '../model/result.js';
import type { AccountSnapshot, Snapshot } from '../model/snapshot.js';
import { compareStrings } from '../util/stable.js';

/**
 * What was read and what was not: every Known error in the snapshot, with where it sits. Reports
 * show this so that a clean report never hides an account or region nobody could see.
 */
export function computeCoverage(snapshot: Snapshot): Coverage {
  const errors: CoverageError[] = [];
  const accounts: AccountCoverage[] = [];
  // An account outside any organization is a fact about it (AWSOrganizationsNotInUseException), not a gap.
  if (snapshot.organization?.error && snapshot.organization.error.code !== 'AWSOrganizationsNotInUseException') {
    errors.push({ ...snapshot.organization.error, accountId: snapshot.organization.error.accountId ?? '', path: 'organization' });
  } else if (snapshot.organization?.value) {
    const org = snapshot.organization.value;
    collectErrors(org.policies, 'organization.policies', org.managementAccountId, errors);
    if (org.delegatedAdministrators) collectErrors(org.delegatedAdministrators, 'organization.delegatedAdministrators', org.managementAccountId, errors);
  }
  for (const id of Object.keys(snapshot.accounts).sort()) {
    const account = snapshot.accounts[id] as AccountSnapshot;
    const before = errors.length;
    collectAccountErrors(account, id, errors);
    const regions = Object.entries(account.trailListing ?? {})
      .sort(([a], [b]) => compareStrings(a, b))
      .map(([name, k]) =>
        k.error ? { name, status: 'failed' as const, error: `${k.error.code}: ${k.error.message}` } : { name, status: 'read' as const },
      );
    const errorCount = errors.length - before;
    accounts.push({
      accountId: id,
      ...(account.name ? { name: account.name } : {}),
      status: account.access.error ? 'failed' : errorCount > 0 ? 'partial' : 'read',
      regions,
      errorCount,
    });
  }
  // Data collected for plugins: a failed read is a gap like any other (the check reports it too).
  for (const [plugin, entries] of Object.entries(snapshot.extensions ?? {})) {
    for (const [key, k] of Object.entries(entries)) {
      if (k.error) errors.push({ ...k.error, accountId: k.error.accountId ?? '', path: `extensions.${plugin}.${key}` });
    }
  }
  errors.sort((a, b) => compareStrings(a.accountId, b.accountId) || compareStrings(a.path, b.path));
  return { accounts, errors, complete: errors.length === 0 };
}

/**
 * Known errors sit at fixed places of the model; visiting exactly those (and not, say, every IAM
 * policy document) keeps this linear in the number of resources, not in the bytes of the snapshot.
 */
function collectAccountErrors(account: AccountSnapshot, id: string, out: CoverageError[]): void {
  const base = `accounts.${id}`;
  const add = (k: Known<unknown> | undefined, path: string) => {
    if (k?.error) out.push({ ...k.error, accountId: k.error.accountId ?? id, path });
  };
  add(account.access, `${base}.access`);
  add(account.regions, `${base}.regions`);
  for (const [region, k] of Object.entries(account.trailListing ?? {})) add(k, `${base}.trailListing.${region}`);
  add(account.trails, `${base}.trails`);
  for (const trail of account.trails?.value ?? []) {
    const at = `${base}.trails[${trail.arn}]`;
    add(trail.status, `${at}.status`);
    for (const [region, status] of Object.entries(trail.regionStatus ?? {})) add(status, `${at}.regionStatus.${region}`);
    // A member cannot read an organization trail's selectors; that is expected, not a gap.
    if (trail.ownerAccountId !== id) continue;
    add(trail.eventSelectors, `${at}.eventSelectors`);
    add(trail.insightSelectors, `${at}.insightSelectors`);
  }
  for (const [name, bucket] of Object.entries(account.buckets ?? {})) {
    for (const [field, value] of Object.entries(bucket)) {
      if (value && typeof value === 'object' && 'error' in value) add(value as Known<unknown>, `${base}.buckets.${name}.${field}`);
    }
  }
  for (const [arn, key] of Object.entries(account.keys ?? {})) {
    add(key.metadata, `${base}.keys.${arn}.metadata`);
    add(key.policy, `${base}.keys.${arn}.policy`);
    add(key.rotation, `${base}.keys.${arn}.rotation`);
  }
  add(account.iam, `${base}.iam`);
  add(account.rootUser, `${base}.rootUser`);
  add(account.s3AccountPublicAccessBlock, `${base}.s3AccountPublicAccessBlock`);
  for (const [region, m] of Object.entries(account.monitoring ?? {})) {
    const at = `${base}.monitoring.${region}`;
    for (const [group, k] of Object.entries(m.logGroups)) add(k, `${at}.logGroups.${group}`);
    add(m.alarms, `${at}.alarms`);
    for (const [arn, k] of Object.entries(m.topics ?? {})) add(k, `${at}.topics.${arn}`);
    add(m.eventRules, `${at}.eventRules`);
    for (const rule of m.eventRules?.value ?? []) add(rule.targets, `${at}.eventRules.${rule.name}.targets`);
  }
}

function collectErrors(value: unknown, path: string, accountId: string, out: CoverageError[]): void {
  if (!value || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) collectErrors(v, `${path}[${i}]`, accountId, out);
    return;
  }
  const obj = value as Record<string, unknown>;
  if (isKnownError(obj.error) && !('value' in obj)) {
    out.push({ ...obj.error, accountId: obj.error.accountId ?? accountId, path });
    return;
  }
  if ('value' in obj) return; // a Known value: its content holds no further Known
  for (const [k, v] of Object.entries(obj)) collectErrors(v, `${path}.${k}`, accountId, out);
}

function isKnownError(e: unknown): e is KnownError {
  return !!e && typeof e === 'object' && typeof (e as KnownError).code === 'string' && typeof (e as KnownError).operation === 'string';
}
