import { isUnknown } from '../model/known.js';
import { GLOBAL_REGION, type ResourceRef } from '../model/result.js';
import type { AccountSnapshot, Bucket, Key, Partition, Snapshot, Trail } from '../model/snapshot.js';

/**
 * Lookups built once per evaluation and shared by every check: which account owns which trail,
 * bucket and key, so checks see organization trails, log-archive buckets and keys wherever they live.
 */
export interface SnapshotIndex {
  snapshot: Snapshot;
  partition: Partition;
  accountIds: string[];
  managementAccountId?: string;
  ouPaths: Map<string, string[]>;
  accountNames: Map<string, string>;
  /** Trail ARN → the most complete record: the owner's, when the owner was scanned and read. */
  trails: Map<string, Trail>;
  /** Bucket name → owner account id and record. */
  buckets: Map<string, { accountId: string; bucket: Bucket }>;
  /** Key ARN → owner account id and record. */
  keys: Map<string, { accountId: string; key: Key }>;
}

export function buildSnapshotIndex(snapshot: Snapshot): SnapshotIndex {
  const org = snapshot.organization && !isUnknown(snapshot.organization) ? snapshot.organization.value : undefined;
  const ouPaths = new Map<string, string[]>();
  const accountNames = new Map<string, string>();
  for (const a of org?.accounts ?? []) {
    ouPaths.set(a.id, a.ouPath);
    accountNames.set(a.id, a.name);
  }
  const accountIds = Object.keys(snapshot.accounts).sort();
  const trails = new Map<string, Trail>();
  const buckets = new Map<string, { accountId: string; bucket: Bucket }>();
  const keys = new Map<string, { accountId: string; key: Key }>();
  /** Trails whose owner's record is in `trails`. */
  const ownerOf = new Set<string>();
  for (const id of accountIds) {
    const account = snapshot.accounts[id] as AccountSnapshot;
    if (account.name) accountNames.set(id, account.name);
    if (account.trails?.value) {
      for (const t of account.trails.value) {
        const existing = trails.get(t.arn);
        // The owner's record carries the selectors a member cannot read; prefer it. Without it, the
        // record of the one account the details were read from (the collector reads them once).
        if (!existing || t.ownerAccountId === id || (!ownerOf.has(t.arn) && detailCount(t) > detailCount(existing))) {
          trails.set(t.arn, t);
          if (t.ownerAccountId === id) ownerOf.add(t.arn);
        }
      }
    }
    for (const [name, bucket] of Object.entries(account.buckets ?? {})) buckets.set(name, { accountId: id, bucket });
    for (const [arn, key] of Object.entries(account.keys ?? {})) keys.set(arn, { accountId: id, key });
  }
  return {
    snapshot,
    partition: snapshot.partition,
    accountIds,
    managementAccountId: org?.managementAccountId,
    ouPaths,
    accountNames,
    trails,
    buckets,
    keys,
  };
}

function detailCount(t: Trail): number {
  return (t.status ? 1 : 0) + (t.eventSelectors ? 1 : 0) + (t.insightSelectors ? 1 : 0);
}

export function accountResource(index: SnapshotIndex, accountId: string): ResourceRef {
  return {
    arn: `arn:${index.partition}:iam::${accountId}:root`,
    type: 'AWS::::Account',
    name: index.accountNames.get(accountId) ?? accountId,
    accountId,
    region: GLOBAL_REGION,
  };
}

export function trailResource(trail: Trail): ResourceRef {
  return {
    arn: trail.arn,
    type: 'AWS::CloudTrail::Trail',
    name: trail.name,
    accountId: trail.ownerAccountId,
    region: trail.homeRegion,
  };
}

export function bucketResource(index: SnapshotIndex, name: string, accountId: string, region?: string): ResourceRef {
  return {
    arn: `arn:${index.partition}:s3:::${name}`,
    type: 'AWS::S3::Bucket',
    name,
    accountId,
    region: region ?? GLOBAL_REGION,
  };
}

export function keyResource(key: { arn: string; keyId?: string }, accountId: string, region: string): ResourceRef {
  return { arn: key.arn, type: 'AWS::KMS::Key', name: key.keyId ?? key.arn.split('/').pop() ?? key.arn, accountId, region };
}

/** Parse `arn:partition:service:region:account:resource`. */
export function parseArn(arn: string): { partition: string; service: string; region: string; accountId: string; resource: string } | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return {
    partition: parts[1] as string,
    service: parts[2] as string,
    region: parts[3] as string,
    accountId: parts[4] as string,
    resource: parts.slice(5).join(':'),
  };
}
