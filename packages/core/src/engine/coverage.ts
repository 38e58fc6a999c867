import type { KnownError } from '../model/known.js';
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
  if (snapshot.organization?.error) {
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
  errors.sort((a, b) => compareStrings(a.accountId, b.accountId) || compareStrings(a.path, b.path));
  return { accounts, errors, complete: errors.length === 0 };
}

function collectAccountErrors(account: AccountSnapshot, id: string, out: CoverageError[]): void {
  for (const [key, value] of Object.entries(account)) {
    if (key === 'trails' && value && typeof value === 'object' && 'value' in value && Array.isArray(value.value)) {
      for (const trail of value.value as { arn: string; ownerAccountId: string }[]) {
        // A member cannot read an organization trail's selectors; that is expected, not a gap.
        const foreign = trail.ownerAccountId !== id;
        for (const [field, v] of Object.entries(trail)) {
          if (foreign && (field === 'eventSelectors' || field === 'insightSelectors')) continue;
          collectErrors(v, `accounts.${id}.trails[${trail.arn}].${field}`, id, out);
        }
      }
      continue;
    }
    collectErrors(value, `accounts.${id}.${key}`, id, out);
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
  for (const [k, v] of Object.entries(obj)) collectErrors(v, `${path}.${k}`, accountId, out);
}

function isKnownError(e: unknown): e is KnownError {
  return !!e && typeof e === 'object' && typeof (e as KnownError).code === 'string' && typeof (e as KnownError).operation === 'string';
}
