import {
  type AccountSnapshot,
  type Bucket,
  type Key,
  type Known,
  type KnownError,
  type Organization,
  type OrganizationPolicy,
  type Partition,
  resolveSections,
  SNAPSHOT_SCHEMA_VERSION,
  SNAPSHOT_SECTIONS,
  type Snapshot,
  type SnapshotSection,
  type Trail,
  TRAILWARDEN_ERROR_CODES,
  validateSnapshot,
} from '@trailwarden/core';
import type { AccountSpec } from './account.js';
import { type BucketSpec, bucket as bucketSpec, buildBucket } from './bucket.js';
import { buildEventDataStore } from './event-data-store.js';
import { buildIam } from './iam.js';
import { uuidFrom } from './ids.js';
import { type KmsKeySpec, buildKey, keyIdentity, kmsKey } from './key.js';
import type { OrgPolicyInput, OrganizationSpec } from './organization.js';
import { type TrailSpec, buildTrail } from './trail.js';
import { type Unreadable, isUnreadable, knownError } from './unreadable.js';

/** Default collection time of builder snapshots; CheckTester's default `now` is the snapshot's `collectedAt`. */
export const DEFAULT_COLLECTED_AT = '2026-01-15T12:00:00.000Z';
export const DEFAULT_REGIONS = ['us-east-1', 'eu-west-1'];

/** Regions an account must opt in to (enabled ones are listed as `opted-in`). */
const OPT_IN_REGIONS = new Set([
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7',
  'ca-west-1', 'eu-central-2', 'eu-south-1', 'eu-south-2', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1',
]);

export interface SnapshotInput {
  /** The organization; omit for a single-account snapshot. */
  organization?: OrganizationSpec;
  accounts: AccountSpec[];
  /** Default `2026-01-15T12:00:00.000Z`. Trail delivery times are relative to it. */
  collectedAt?: string | Date;
  /** Default `aws`. */
  partition?: Partition;
  /** Sections collected (what they imply is added). Default: every section. Data of other sections is left out. */
  sections?: SnapshotSection[];
  /** `scope.regions` (`--regions`). Default: every enabled region. */
  scopeRegions?: string[];
  /** Data collected on behalf of plugins (`snapshot.extensions`), as is. */
  extensions?: Snapshot['extensions'];
  notes?: string[];
}

interface AccountWork {
  spec: AccountSpec;
  id: string;
  readable: boolean;
  regions: string[];
  defaultRegion: string;
  trails: { spec: TrailSpec; record: Trail }[];
  buckets: BucketSpec[];
  keys: { spec: KmsKeySpec; arn: string; keyId: string; region: string }[];
}

/**
 * Build a Snapshot that passes `validateSnapshot()`, the way the collector would have written it:
 * ARNs and ids filled from accounts and regions, multi-region trails listed in every region,
 * organization trails visible in every member account, buckets and keys resolved in their owners.
 */
export function snapshot(input: SnapshotInput): Snapshot {
  const partition = input.partition ?? 'aws';
  const collectedAt = input.collectedAt instanceof Date ? input.collectedAt.toISOString() : (input.collectedAt ?? DEFAULT_COLLECTED_AT);
  if (Number.isNaN(Date.parse(collectedAt))) throw new Error(`snapshot(...): collectedAt ${JSON.stringify(collectedAt)} is not a date`);
  const specs = input.accounts ?? [];
  if (specs.length === 0) throw new Error('snapshot(...): give at least one account(...)');
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.id)) throw new Error(`snapshot(...): account ${s.id} is listed twice`);
    seen.add(s.id);
  }
  const orgInput = input.organization?.input;
  const orgId = orgInput ? (orgInput.id ?? 'o-abc123def4') : undefined;
  const delegated = orgInput && !isUnreadable(orgInput.delegatedAdministrators) ? (orgInput.delegatedAdministrators ?? []) : [];

  // 1. Each account's own trails, buckets and keys.
  const work: AccountWork[] = specs.map((spec) => {
    const a = spec.input;
    const regions = isUnreadable(a.regions) ? DEFAULT_REGIONS : (a.regions ?? DEFAULT_REGIONS);
    if (regions.length === 0) throw new Error(`account ${spec.id}: regions is empty`);
    const defaultRegion = regions[0] as string;
    const trails = (isUnreadable(a.trails) ? [] : (a.trails ?? [])).map((t) => {
      if (t.input.organization) {
        if (!orgInput) throw new Error(`account ${spec.id}: trail ${t.input.name} is an organization trail, but the snapshot has no organization(...)`);
        const canOwn = spec.id === orgInput.managementAccountId || delegated.some((d) => d.accountId === spec.id && d.servicePrincipal === 'cloudtrail.amazonaws.com');
        if (!canOwn) {
          throw new Error(
            `account ${spec.id}: trail ${t.input.name} is an organization trail, but only the management account (${orgInput.managementAccountId}) or a delegated administrator for cloudtrail.amazonaws.com can own one`,
          );
        }
      }
      return { spec: t, record: buildTrail(t, { partition, collectedAt, accountId: spec.id, defaultRegion }) };
    });
    const arns = new Set<string>();
    for (const t of trails) {
      if (!isUnreadable(a.regions) && !regions.includes(t.record.homeRegion)) {
        throw new Error(`account ${spec.id}: trail ${t.record.name} has home region ${t.record.homeRegion}, which is not one of the account's regions (${regions.join(', ')}); add it to account(..., { regions })`);
      }
      if (arns.has(t.record.arn)) throw new Error(`account ${spec.id}: two trails named ${t.record.name} in ${t.record.homeRegion}`);
      arns.add(t.record.arn);
    }
    const keys = (a.keys ?? []).map((k, ordinal) => ({ spec: k, ...keyIdentity(k, { partition, accountId: spec.id, defaultRegion, ordinal }) }));
    return { spec, id: spec.id, readable: !a.access, regions, defaultRegion, trails, buckets: [...(a.buckets ?? [])], keys };
  });
  const byId = new Map(work.map((w) => [w.id, w]));

  // 2. Buckets and keys by name / ARN, wherever they are defined.
  const bucketOwner = new Map<string, AccountWork>();
  const keyOwner = new Map<string, AccountWork>();
  for (const w of work) {
    for (const b of w.buckets) {
      const other = bucketOwner.get(b.name);
      if (other) throw new Error(`bucket ${b.name} is defined in both account ${other.id} and ${w.id}; bucket names are global`);
      bucketOwner.set(b.name, w);
    }
    for (const k of w.keys) {
      if (keyOwner.has(k.arn)) throw new Error(`account ${w.id}: key ${k.arn} is defined twice`);
      keyOwner.set(k.arn, w);
    }
  }
  const findKey = (ref: string): string | undefined => {
    if (ref.startsWith('arn:')) return keyOwner.has(ref) ? ref : undefined;
    for (const w of work) for (const k of w.keys) if (k.keyId === ref) return k.arn;
    return undefined;
  };

  // 3. Resolve every trail's bucket and key: defined somewhere, created as a compliant default, or unresolved.
  const unresolvedBuckets: Record<string, KnownError> = {};
  const unresolvedKeys: Record<string, KnownError> = {};
  for (const w of work) {
    for (const { spec, record } of w.trails) {
      const t = spec.input;
      const un = t.unresolved;
      const leaveBucket = un === true || (typeof un === 'object' && un.bucket !== undefined && un.bucket !== false);
      const leaveKey = un === true || (typeof un === 'object' && un.key !== undefined && un.key !== false);
      const bucketName = record.s3BucketName as string;
      if (!bucketOwner.has(bucketName)) {
        if (leaveBucket) {
          const given = typeof un === 'object' && isUnreadable(un.bucket) ? un.bucket : undefined;
          unresolvedBuckets[bucketName] = given
            ? knownError(given, w.id).error
            : {
                code: TRAILWARDEN_ERROR_CODES.BucketOutOfScope,
                message: `bucket ${bucketName} (used by a trail seen in ${w.id}) is owned by an account outside the scanned accounts`,
                operation: 'ListBuckets',
              };
        } else {
          w.buckets.push(bucketSpec(bucketName, { region: record.homeRegion }));
          bucketOwner.set(bucketName, w);
        }
      }
      if (t.kmsKey === null) {
        delete record.kmsKeyId;
        continue;
      }
      const ref = t.kmsKey ?? uuidFrom('trail-key', record.arn);
      const found = findKey(ref);
      if (found) {
        record.kmsKeyId = found;
        continue;
      }
      const parsed = ref.startsWith('arn:') ? ref.split(':') : undefined;
      const ownerId = parsed ? (parsed[4] as string) : w.id;
      const region = parsed ? (parsed[3] as string) : record.homeRegion;
      const keyId = parsed ? (parsed[5] ?? '').replace(/^key\//, '') : ref;
      const arn = parsed ? ref : `arn:${partition}:kms:${region}:${ownerId}:key/${keyId}`;
      record.kmsKeyId = arn;
      const owner = byId.get(ownerId);
      if (leaveKey || !owner) {
        const given = typeof un === 'object' && isUnreadable(un.key) ? un.key : undefined;
        unresolvedKeys[arn] = given
          ? knownError(given, ownerId, region).error
          : { code: TRAILWARDEN_ERROR_CODES.KeyOutOfScope, message: `key ${arn} is owned by account ${ownerId}, which was not scanned`, operation: 'DescribeKey', accountId: ownerId, region };
        continue;
      }
      const spec2 = kmsKey({ id: keyId, region });
      owner.keys.push({ spec: spec2, arn, keyId, region });
      keyOwner.set(arn, owner);
    }
  }

  // Buckets and keys held by an account that could not be read are unresolved, as the collector says.
  for (const w of work) {
    if (w.readable) continue;
    const why = knownError(w.spec.input.access as Unreadable, w.id).error;
    for (const b of w.buckets) {
      unresolvedBuckets[b.name] = {
        code: 'BucketOwnerUnknown',
        message: `no scanned account lists bucket ${b.name}, and ListBuckets could not be read in 1 account(s): ${w.id}`,
        operation: 'ListBuckets',
      };
    }
    for (const k of w.keys) unresolvedKeys[k.arn] = { ...why, message: `the key's owner account could not be read: ${why.message}` };
  }

  // 4. Owner records of every trail, and who uses which bucket / key.
  const allTrails = work.flatMap((w) => w.trails.map((t) => t.record));
  const usersOfBucket = (name: string) => allTrails.filter((t) => t.s3BucketName === name);
  const usersOfKey = (arn: string) => allTrails.filter((t) => t.kmsKeyId === arn);
  const orgTrails = allTrails.filter((t) => t.isOrganizationTrail);

  // 5. Account records.
  const accounts: Record<string, AccountSnapshot> = {};
  const firstAccount = specs[0]?.id;
  for (const w of work) {
    const a = w.spec.input;
    const name = a.name;
    if (!w.readable) {
      accounts[w.id] = { id: w.id, ...(name ? { name } : {}), access: knownError(a.access as Unreadable, w.id) };
      continue;
    }
    const viaCaller = orgInput ? w.id === orgInput.managementAccountId : w.id === firstAccount;
    const access: AccountSnapshot['access'] = {
      value: viaCaller ? { via: 'caller' } : { via: 'role', roleArn: `arn:${partition}:iam::${w.id}:role/OrganizationAccountAccessRole` },
    };
    const regionsKnown: AccountSnapshot['regions'] = isUnreadable(a.regions)
      ? knownError(a.regions, w.id)
      : {
          value: [
            ...w.regions.map((r) => ({ name: r, optInStatus: OPT_IN_REGIONS.has(r) ? ('opted-in' as const) : ('opt-in-not-required' as const), enabled: true })),
            ...(a.disabledRegions ?? []).map((r) => ({ name: r, optInStatus: 'not-opted-in' as const, enabled: false })),
          ],
        };
    const denied = new Set(a.deniedRegions ?? []);
    for (const r of denied) if (!w.regions.includes(r)) throw new Error(`account ${w.id}: deniedRegions names ${r}, which is not one of its regions (${w.regions.join(', ')})`);
    const visibleHere = [...w.trails.map((t) => t.record), ...orgTrails.filter((t) => t.ownerAccountId !== w.id).map(memberCopy)];
    const trailListing: Record<string, Known<string[]>> = {};
    let trails: Known<Trail[]>;
    if (isUnreadable(a.trails)) {
      for (const r of w.regions) trailListing[r] = knownError(a.trails, w.id, r);
      trails = knownError(a.trails, w.id);
    } else {
      const listed = new Set<string>();
      let firstDenied: KnownError | undefined;
      for (const r of w.regions) {
        if (denied.has(r)) {
          const e = knownError(describeTrailsDenied(w.id, r), w.id, r);
          trailListing[r] = e;
          firstDenied ??= e.error;
          continue;
        }
        const here = visibleHere.filter((t) => t.isMultiRegionTrail || t.homeRegion === r).map((t) => t.arn);
        for (const arn of here) listed.add(arn);
        trailListing[r] = { value: [...here].sort() };
      }
      trails =
        denied.size === w.regions.length && firstDenied
          ? { error: { ...firstDenied, region: undefined } }
          : { value: visibleHere.filter((t) => listed.has(t.arn)).sort((x, y) => (x.arn < y.arn ? -1 : x.arn > y.arn ? 1 : 0)) };
      if (trails.error) delete trails.error.region;
    }
    const buckets: Record<string, Bucket> = {};
    for (const b of w.buckets) {
      buckets[b.name] = buildBucket(b, { partition, accountId: w.id, defaultRegion: w.defaultRegion, trails: usersOfBucket(b.name), organizationId: orgId });
    }
    const keys: Record<string, Key> = {};
    w.keys.forEach((k, ordinal) => {
      keys[k.arn] = buildKey(k.spec, { partition, accountId: w.id, defaultRegion: k.region, collectedAt, ordinal }, usersOfKey(k.arn));
    });
    const allOn = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
    accounts[w.id] = {
      id: w.id,
      ...(name ? { name } : {}),
      access,
      regions: regionsKnown,
      trailListing,
      trails,
      buckets,
      keys,
      iam: isUnreadable(a.iam) ? knownError(a.iam, w.id) : { value: buildIam(a.iam ?? {}, w.id, partition) },
      s3AccountPublicAccessBlock: isUnreadable(a.publicAccessBlock)
        ? knownError(a.publicAccessBlock, w.id)
        : { value: a.publicAccessBlock === null ? null : { ...allOn, ...a.publicAccessBlock } },
    };
    if (!isUnreadable(a.regions)) {
      const stores = isUnreadable(a.eventDataStores) ? [] : (a.eventDataStores ?? []).map((e) => buildEventDataStore(e, { partition, accountId: w.id, defaultRegion: w.defaultRegion }));
      for (const st of stores) {
        if (!w.regions.includes(st.region)) throw new Error(`account ${w.id}: event data store ${st.name} is in ${st.region}, which is not one of the account's regions`);
        // AWS keeps an organization event data store in the management account, whoever created it.
        if (st.details.value?.organizationEnabled && w.id !== orgInput?.managementAccountId) {
          throw new Error(`account ${w.id}: event data store ${st.name} is an organization store, but only the management account${orgInput ? ` (${orgInput.managementAccountId})` : ' of an organization(...)'} holds one`);
        }
      }
      accounts[w.id]!.eventDataStores = Object.fromEntries(
        w.regions.map((r) => {
          const failed = isUnreadable(a.eventDataStores) ? a.eventDataStores : a.eventDataStoresUnreadable?.[r];
          return [r, failed ? knownError(failed, w.id, r) : { value: stores.filter((st) => st.region === r) }];
        }),
      );
    }
    if (a.eventHistory) {
      const regions = Object.fromEntries(
        Object.entries(a.eventHistory.regions).map(([r, v]) => [r, isUnreadable(v) ? knownError(v, w.id, r) : { value: v }]),
      );
      accounts[w.id]!.eventHistory = {
        schemaVersion: 1,
        from: a.eventHistory.from ?? new Date(Date.parse(collectedAt) - 90 * 86_400_000).toISOString(),
        to: collectedAt,
        eventNames: Object.fromEntries(Object.keys(regions).map((r) => [r, []])),
        regions,
      };
    }
  }

  const sections = resolveSections(input.sections ?? SNAPSHOT_SECTIONS);
  const snap: Snapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt,
    partition,
    sections,
    scope: {
      mode: orgInput ? 'organization' : specs.length === 1 ? 'single-account' : 'fixture',
      accounts: [...seen].sort(),
      regions: input.scopeRegions ?? [],
      ...(input.notes ? { notes: input.notes } : {}),
    },
    tool: { name: '@trailwarden/testing', version: '0.1.0' },
    ...(input.organization ? { organization: buildOrganization(input.organization, specs, partition) } : {}),
    accounts,
  };
  const unresolved = {
    ...(Object.keys(unresolvedBuckets).length ? { buckets: unresolvedBuckets } : {}),
    ...(Object.keys(unresolvedKeys).length ? { keys: unresolvedKeys } : {}),
  };
  if (Object.keys(unresolved).length) snap.unresolved = unresolved;
  if (input.extensions) snap.extensions = input.extensions;
  stripSections(snap, new Set(sections));
  return validateSnapshot(structuredClone(snap), 'snapshot(...) from @trailwarden/testing');
}

/**
 * An organization trail as a member account's DescribeTrails shows it. The collector reads status
 * and selectors only in the owner account (members cannot read the selectors), so the copy has none.
 */
function memberCopy(t: Trail): Trail {
  const { status: _s, eventSelectors: _e, insightSelectors: _i, ...rest } = t;
  return rest;
}

function describeTrailsDenied(accountId: string, region: string): Unreadable {
  return {
    error: {
      code: 'AccessDenied',
      message: `User: arn:aws:sts::${accountId}:assumed-role/OrganizationAccountAccessRole/trailwarden is not authorized to perform: cloudtrail:DescribeTrails with an explicit deny in a service control policy`,
      operation: 'DescribeTrails',
      region,
    },
  } as Unreadable;
}

function slug(name: string): string {
  return (name.toLowerCase().replace(/[^a-z0-9]/g, '') + '00000000').slice(0, 8);
}

function buildOrganization(spec: OrganizationSpec, accounts: AccountSpec[], partition: string): Known<Organization> {
  const o = spec.input;
  const id = o.id ?? 'o-abc123def4';
  const rootId = `r-${id.slice(2, 6)}`;
  const ous = (o.ous ?? []).map((ou) => ({ ...ou, id: ou.id ?? `ou-${rootId.slice(2)}-${slug(ou.name)}` }));
  const ouId = (ref: string | undefined): string => {
    if (!ref || ref === 'root' || ref === rootId) return rootId;
    const hit = ous.find((x) => x.id === ref || x.name === ref);
    if (!hit) throw new Error(`organization(...): no OU named or with id "${ref}" (OUs: ${ous.map((x) => x.name).join(', ') || 'none'})`);
    return hit.id;
  };
  const parentOf = new Map(ous.map((ou) => [ou.id, ouId(ou.parent)]));
  const pathTo = (leaf: string): string[] => {
    const path: string[] = [];
    for (let cur: string | undefined = leaf; cur && cur !== rootId; cur = parentOf.get(cur)) {
      if (path.includes(cur)) throw new Error(`organization(...): OU ${cur} is its own ancestor`);
      path.unshift(cur);
    }
    return [rootId, ...path];
  };
  const ouOfAccount = new Map<string, string>();
  for (const ou of ous) for (const a of ou.accounts ?? []) ouOfAccount.set(a, ou.id);
  for (const a of o.otherAccounts ?? []) if (a.ou) ouOfAccount.set(a.id, ouId(a.ou));
  const members = [
    ...accounts.map((a) => ({ id: a.id, name: a.input.name ?? a.id, status: 'ACTIVE' })),
    ...(o.otherAccounts ?? []).map((a) => ({ id: a.id, name: a.name ?? a.id, status: a.status ?? 'ACTIVE' })),
  ];
  if (!members.some((m) => m.id === o.managementAccountId)) members.push({ id: o.managementAccountId, name: 'management', status: 'ACTIVE' });
  const resolveTarget = (t: string): string => (/^\d{12}$/.test(t) ? t : ouId(t));
  const policies = (list: OrgPolicyInput[] | Unreadable | undefined, kind: 'scp' | 'rcp'): Known<OrganizationPolicy[]> => {
    if (isUnreadable(list)) return knownError(list, o.managementAccountId);
    const out: OrganizationPolicy[] = [];
    // AWS attaches the managed allow-all policy to the root, every OU and every account (an SCP/RCP
    // must allow at every level of the path); RCPFullAWSAccess exists once RCPs are enabled.
    const everywhere = [rootId, ...ous.map((ou) => ou.id), ...members.map((m) => m.id).sort()];
    if (kind === 'scp' && o.fullAWSAccess !== false) {
      out.push({
        id: 'p-FullAWSAccess',
        arn: `arn:${partition}:organizations::aws:policy/service_control_policy/p-FullAWSAccess`,
        name: 'FullAWSAccess',
        description: 'Allows access to every operation',
        awsManaged: true,
        document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
        targets: everywhere,
      });
    }
    if (kind === 'rcp' && list !== undefined && o.fullAWSAccess !== false) {
      out.push({
        id: 'p-RCPFullAWSAccess',
        arn: `arn:${partition}:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess`,
        name: 'RCPFullAWSAccess',
        description: 'Allows access to every operation',
        awsManaged: true,
        document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] },
        targets: everywhere,
      });
    }
    for (const p of list ?? []) {
      const pid = p.id ?? `p-${slug(p.name)}`;
      out.push({
        id: pid,
        arn: `arn:${partition}:organizations::${o.managementAccountId}:policy/${id}/${kind === 'scp' ? 'service_control_policy' : 'resource_control_policy'}/${pid}`,
        name: p.name,
        ...(p.description ? { description: p.description } : {}),
        awsManaged: p.awsManaged ?? false,
        document: p.document,
        targets: (p.targets ?? [rootId]).map(resolveTarget),
      });
    }
    return { value: out };
  };
  return {
    value: {
      id,
      arn: `arn:${partition}:organizations::${o.managementAccountId}:organization/${id}`,
      managementAccountId: o.managementAccountId,
      featureSet: o.featureSet ?? 'ALL',
      roots: [{ id: rootId, name: 'Root' }],
      ous: ous.map((ou) => ({ id: ou.id, name: ou.name, parentId: ouId(ou.parent) })),
      accounts: members
        .map((m) => ({ ...m, ouPath: ouOfAccount.has(m.id) ? pathTo(ouOfAccount.get(m.id) as string) : [rootId] }))
        .sort((x, y) => (x.id < y.id ? -1 : 1)),
      delegatedAdministrators: isUnreadable(o.delegatedAdministrators) ? knownError(o.delegatedAdministrators, o.managementAccountId) : { value: o.delegatedAdministrators ?? [] },
      policies: { scp: policies(o.scps, 'scp'), rcp: policies(o.rcps, 'rcp') },
    },
  };
}

function stripSections(snap: Snapshot, has: Set<SnapshotSection>): void {
  if (!has.has('organization')) delete snap.organization;
  if (!has.has('buckets')) delete snap.unresolved?.buckets;
  if (!has.has('keys')) delete snap.unresolved?.keys;
  if (snap.unresolved && Object.keys(snap.unresolved).length === 0) delete snap.unresolved;
  for (const a of Object.values(snap.accounts)) {
    if (!has.has('regions')) delete a.regions;
    if (!has.has('trails')) {
      delete a.trails;
      delete a.trailListing;
    }
    for (const t of a.trails?.value ?? []) {
      if (!has.has('trailStatus')) delete t.status;
      if (!has.has('eventSelectors')) delete t.eventSelectors;
      if (!has.has('insightSelectors')) delete t.insightSelectors;
    }
    if (!has.has('buckets')) delete a.buckets;
    if (!has.has('keys')) delete a.keys;
    if (!has.has('iam')) delete a.iam;
    if (!has.has('s3AccountPublicAccessBlock')) delete a.s3AccountPublicAccessBlock;
    if (!has.has('eventHistory')) delete a.eventHistory;
    if (!has.has('eventDataStores')) delete a.eventDataStores;
  }
}
