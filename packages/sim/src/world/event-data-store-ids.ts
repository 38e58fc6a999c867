import { createHash } from 'node:crypto';

/** The id part of an event data store's ARN, stable for (owner, region, name) unless the world sets one. */
export function eventDataStoreId(ownerId: string, region: string, name: string, id?: string): string {
  if (id) return id;
  const h = createHash('sha256').update(`${ownerId}/${region}/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function eventDataStoreArn(partition: string, ownerId: string, region: string, name: string, id?: string): string {
  return `arn:${partition}:cloudtrail:${region}:${ownerId}:eventdatastore/${eventDataStoreId(ownerId, region, name, id)}`;
}

/**
 * The CloudTrail Lake stores a generated account gets, derived from its id (not drawn from the
 * generator's random stream, so the rest of a seeded world does not change): the management account
 * an organization store encrypted with a key AWS owns; about one account in six a store of its own
 * with a customer managed key, another one in six one without.
 */
export function generatedStores(accountId: string, management: boolean, home: string): { name: string; region: string; customerKey: boolean; organization: boolean }[] {
  if (management) return [{ name: 'org-lake', region: home, customerKey: false, organization: true }];
  const n = Number.parseInt(createHash('sha256').update(`lake/${accountId}`).digest('hex').slice(0, 4), 16) % 6;
  if (n === 0) return [{ name: 'audit-lake', region: home, customerKey: true, organization: false }];
  if (n === 1) return [{ name: 'audit-lake', region: home, customerKey: false, organization: false }];
  return [];
}
