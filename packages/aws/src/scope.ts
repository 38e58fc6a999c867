import { InputError, type OrganizationAccount } from '@trailwarden/core';
import { compareStrings } from './arn.js';

export interface ScopeFilters {
  accounts?: string[];
  excludeAccounts?: string[];
  ous?: string[];
}

const ACCOUNT_ID = /^\d{12}$/;
const OU_OR_ROOT = /^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/;

/** Bad filter values are bad input: say which option and which value. */
export function validateFilters(filters: ScopeFilters, regions: string[] | undefined): void {
  for (const [option, list] of [
    ['--accounts', filters.accounts],
    ['--exclude-accounts', filters.excludeAccounts],
  ] as const) {
    for (const id of list ?? []) if (!ACCOUNT_ID.test(id)) throw new InputError(`"${id}" is not a 12-digit AWS account id`, option);
  }
  for (const ou of filters.ous ?? []) if (!OU_OR_ROOT.test(ou)) throw new InputError(`"${ou}" is not an OU id (ou-xxxx-xxxxxxxx) or root id (r-xxxx)`, '--ous');
  for (const r of regions ?? []) if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(r)) throw new InputError(`"${r}" is not an AWS region name`, '--regions');
}

/**
 * The organization accounts to scan: ACTIVE accounts, narrowed by the filters. Everything left out
 * for a reason other than the user's own exclusion is explained in a note.
 */
export function selectAccounts(all: OrganizationAccount[], filters: ScopeFilters): { accounts: OrganizationAccount[]; notes: string[] } {
  const notes: string[] = [];
  const known = new Set(all.map((a) => a.id));
  const wanted = filters.accounts?.length ? new Set(filters.accounts) : undefined;
  const excluded = new Set(filters.excludeAccounts ?? []);
  const ous = filters.ous?.length ? new Set(filters.ous) : undefined;
  for (const id of filters.accounts ?? []) if (!known.has(id)) notes.push(`Account ${id} (from --accounts) is not in the organization; not scanned.`);
  if (ous) {
    const present = new Set(all.flatMap((a) => a.ouPath));
    for (const ou of ous) if (!present.has(ou)) notes.push(`OU ${ou} (from --ous) has no accounts in the organization.`);
  }
  const inactive: string[] = [];
  const accounts = all.filter((a) => {
    if (wanted && !wanted.has(a.id)) return false;
    if (excluded.has(a.id)) return false;
    if (ous && !a.ouPath.some((p) => ous.has(p))) return false;
    if (a.status !== 'ACTIVE') {
      inactive.push(`${a.id} (${a.status})`);
      return false;
    }
    return true;
  });
  if (inactive.length > 0) notes.push(`Not scanned because they are not ACTIVE: ${inactive.sort(compareStrings).join(', ')}.`);
  return { accounts: accounts.sort((a, b) => compareStrings(a.id, b.id)), notes };
}
