/**
 * Generates an organization of any size with a mix of good and broken CloudTrail set-ups, for
 * benchmarks (e.g. the 1,000-account collection). Deterministic: the same options give the same world.
 */
import type { World, WorldAccount, WorldBucket, WorldIamRole, WorldKmsKey, WorldTrail } from './types.js';

export interface GenerateWorldOptions {
  /** Number of accounts, management, log archive and security included (at least 3). */
  accounts: number;
  /** Region names, or how many of the standard ones (first is the home region). Default 3. */
  regions?: number | string[];
  seed?: number;
}

const STANDARD_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1', 'us-east-2', 'ca-central-1', 'sa-east-1', 'eu-north-1', 'ap-south-1', 'af-south-1'];

/** mulberry32: a small, fast, seedable PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AUDIT_ROLE = (managementId: string): WorldIamRole => ({
  name: 'TrailwardenAudit',
  trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${managementId}:root` }, Action: 'sts:AssumeRole' }] },
  managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/SecurityAudit'],
});

export function generateWorld(options: GenerateWorldOptions): World {
  const count = Math.max(3, Math.floor(options.accounts));
  const seed = options.seed ?? 1;
  const rand = prng(seed);
  const chance = (p: number) => rand() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;

  const regions = Array.isArray(options.regions) ? options.regions : STANDARD_REGIONS.slice(0, Math.max(1, options.regions ?? 3));
  const home = regions[0]!;
  const optIn = regions.filter((r) => r === 'af-south-1' || r.startsWith('me-') || r === 'ap-east-1');

  const ids = new Set<string>();
  while (ids.size < count) ids.add(String(100000000000 + Math.floor(rand() * 899999999999)));
  const [managementId, archiveId, securityId, ...workloadIds] = [...ids];
  const mgmt = managementId!;
  const archive = archiveId!;
  const orgId = `o-${hex(10)}`;
  const orgBucket = `org-cloudtrail-logs-${archive}`;
  const orgKeyId = uuid();
  const orgKeyArn = `arn:aws:kms:${home}:${archive}:key/${orgKeyId}`;
  const date = (year: number) => `${year}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}T10:00:00Z`;

  const management: WorldAccount = {
    id: mgmt,
    name: 'management',
    joinedTimestamp: '2018-01-01T00:00:00Z',
    publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
    trails: [
      {
        name: 'org-trail',
        homeRegion: home,
        multiRegion: true,
        organization: true,
        bucket: orgBucket,
        logFileValidation: true,
        kmsKeyId: orgKeyArn,
        status: { isLogging: true, latestDeliveryTime: '2026-11-21T15:00:00Z' },
      },
    ],
    iam: { users: [{ name: 'admin', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] }], roles: [AUDIT_ROLE(mgmt)] },
  };
  const logArchive: WorldAccount = {
    id: archive,
    name: 'log-archive',
    ou: 'Security',
    publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
    buckets: [
      {
        name: orgBucket,
        region: home,
        policy: {
          Version: '2012-10-17',
          Statement: [{ Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${orgBucket}/*` }],
        },
        objectLock: { mode: 'COMPLIANCE', days: 365 },
        encryption: { algorithm: 'aws:kms', kmsKeyId: orgKeyArn, bucketKey: true },
        versioning: { status: 'Enabled' },
        lifecycle: [{ id: 'archive', transitions: [{ days: 90, storageClass: 'GLACIER' }], expirationDays: 2555 }],
      },
    ],
    kmsKeys: [{ id: orgKeyId, region: home, rotation: true, description: 'Organization trail key' }],
    iam: { roles: [AUDIT_ROLE(mgmt)] },
  };
  const security: WorldAccount = { id: securityId!, name: 'security', ou: 'Security', iam: { roles: [AUDIT_ROLE(mgmt)] } };

  const ous = ['Workloads/Prod', 'Workloads/Dev', 'Sandbox'];
  const devDenied = regions.length > 1 ? regions[regions.length - 1]! : undefined;
  const workloads = workloadIds.map((id, i): WorldAccount => {
    const ou = pick(ous);
    const account: WorldAccount = { id, name: `workload-${String(i + 1).padStart(4, '0')}`, ou, joinedTimestamp: date(2019 + Math.floor(rand() * 6)), iam: { roles: [AUDIT_ROLE(mgmt)] } };
    if (chance(0.03)) account.status = 'SUSPENDED';
    if (optIn.length > 0 && chance(0.3)) account.optInRegions = [pick(optIn)];
    if (ou === 'Workloads/Dev' && devDenied && !optIn.includes(devDenied)) account.deniedRegions = [devDenied];
    if (chance(0.6)) account.publicAccessBlock = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: chance(0.9) };
    if (chance(0.4)) {
      const bucketName = `trail-logs-${id}`;
      const regionsHere = regions.filter((r) => !optIn.includes(r) || account.optInRegions?.includes(r));
      const trailRegion = pick(regionsHere);
      const keys: WorldKmsKey[] = [];
      const trail: WorldTrail = {
        name: 'account-trail',
        homeRegion: trailRegion,
        multiRegion: !chance(0.25),
        bucket: bucketName,
        logFileValidation: !chance(0.3),
        status: chance(0.1) ? { isLogging: false, stopLoggingTime: '2026-10-01T00:00:00Z' } : { isLogging: true, latestDeliveryTime: '2026-11-21T14:00:00Z' },
      };
      if (chance(0.5)) {
        const keyId = uuid();
        const state = chance(0.05) ? 'Disabled' : chance(0.04) ? 'PendingDeletion' : 'Enabled';
        keys.push({ id: keyId, region: trailRegion, rotation: chance(0.6), state, ...(state === 'PendingDeletion' ? { deletionDate: '2026-12-15T00:00:00Z' } : {}) });
        trail.kmsKeyId = `arn:aws:kms:${trailRegion}:${id}:key/${keyId}`;
      }
      if (chance(0.2)) trail.insightSelectors = [{ InsightType: 'ApiCallRateInsight' }];
      if (chance(0.2)) trail.advancedEventSelectors = [{ Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }];
      const bucket: WorldBucket = { name: bucketName, region: trailRegion };
      if (chance(0.05)) bucket.policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucketName}/*` }] };
      if (chance(0.05)) {
        bucket.acl = { grants: [{ grantee: 'owner', permission: 'FULL_CONTROL' }, { grantee: 'AuthenticatedUsers', permission: 'READ' }] };
        bucket.ownershipControls = 'ObjectWriter';
      }
      if (chance(0.15)) bucket.publicAccessBlock = null;
      if (chance(0.7)) bucket.versioning = { status: chance(0.9) ? 'Enabled' : 'Suspended' };
      if (chance(0.6)) bucket.lifecycle = [{ id: 'expire', expirationDays: 365 * (1 + Math.floor(rand() * 7)) }];
      if (chance(0.1)) bucket.objectLock = { mode: 'GOVERNANCE', days: 30 };
      if (chance(0.3)) bucket.logging = { targetBucket: bucketName, targetPrefix: 'access/' };
      account.trails = [trail];
      account.buckets = [bucket];
      account.kmsKeys = keys;
    }
    if (chance(0.2)) account.iam!.users = [{ name: 'legacy-admin', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] }];
    return account;
  });

  return {
    regions,
    organization: {
      id: orgId,
      managementAccountId: mgmt,
      policies: [
        {
          name: 'ProtectCloudTrail',
          type: 'SERVICE_CONTROL_POLICY',
          targets: ['root'],
          document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail'], Resource: '*' }] },
        },
        ...(devDenied && !optIn.includes(devDenied)
          ? [
              {
                name: 'DenyRegionForDev',
                type: 'SERVICE_CONTROL_POLICY' as const,
                targets: ['Workloads/Dev'],
                document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotAction: ['iam:*', 'sts:*', 'organizations:*'], Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': devDenied } } }] },
              },
            ]
          : []),
      ],
      ous,
      delegatedAdministrators: [{ accountId: securityId!, servicePrincipal: 'securityhub.amazonaws.com' }],
    },
    accounts: [management, logArchive, security, ...workloads],
  };
}
