/**
 * Generates an organization of any size with a mix of good and broken CloudTrail set-ups, for
 * benchmarks (e.g. the 1,000-account collection) and for the ground-truth test. Deterministic: the
 * same options give the same world. planWorld decides every defect first, as a plan (see truth.ts);
 * renderWorld writes the world from the plan in one pass; truthFromPlan derives the verdict each
 * check must give without running it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AccountPlan,
  type BucketPlan,
  type GroundTruth,
  type KeyPlan,
  type KmsIntent,
  type OrgTrailVariant,
  type PublicAccessBlockPlan,
  type SelectorVariant,
  type TrailPlan,
  type WorldPlan,
  truthFromPlan,
} from './truth.js';
import { generatedStores } from './event-data-store-ids.js';
import { worldMonitoring } from './generate-monitoring.js';
import type { PolicyDocument, World, WorldAccount, WorldBucket, WorldIamRole, WorldIamUser, WorldKmsKey, WorldPublicAccessBlock, WorldTrail } from './types.js';

export interface GenerateWorldOptions {
  /** Number of accounts, management, log archive and security included (at least 3). */
  accounts: number;
  /** Region names, or how many of the standard ones (first is the home region). Default 3. */
  regions?: number | string[];
  seed?: number;
  /**
   * The organization trail: `all-events` (multi-region, logging, all management events; the
   * default), `write-only` (write management events only, so accounts need their own trail to pass
   * trail-multi-region) or `stopped` (covers nothing, so accounts are covered by their own trails or not at all).
   */
  orgTrail?: OrgTrailVariant;
  /** The instant the world's timestamps are relative to (delivery times, stop times). Default 2026-11-21T16:00:00Z. */
  asOf?: string;
}

export const DEFAULT_AS_OF = '2026-11-21T16:00:00Z';
const STANDARD_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1', 'us-east-2', 'ca-central-1', 'sa-east-1', 'eu-north-1', 'ap-south-1', 'af-south-1'];
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const OUS = ['Workloads/Prod', 'Workloads/Dev', 'Sandbox'];
/** OUs under the deny-tamper SCP. */
const PROTECTED_OUS = ['Workloads/Prod', 'Security'];
const SELECTOR_VARIANTS: SelectorVariant[] = [
  'default',
  'classic-all-data',
  'classic-read-only',
  'classic-write-only',
  'classic-exclude-kms',
  'classic-data-prefix',
  'advanced-mgmt-write-data',
  'advanced-mgmt-read-data-bucket',
  'advanced-mgmt-write-only',
  'advanced-data-only',
  'classic-read-plus-write',
  'advanced-read-plus-write',
  'advanced-exclude-source',
  'classic-read-only-all-buckets',
  'advanced-other-bucket',
  'advanced-put-only',
];

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

const auditRole = (trustedAccount: string): WorldIamRole => ({
  name: 'TrailwardenAudit',
  trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${trustedAccount}:root` }, Action: 'sts:AssumeRole' }] },
  managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/SecurityAudit'],
});

export function generateWorld(options: GenerateWorldOptions): World {
  return generateWorldWithTruth(options).world;
}

/** The world and the verdict every built-in check must give on it: plan, then render, then judge. */
export function generateWorldWithTruth(options: GenerateWorldOptions): { world: World; truth: GroundTruth; plan: WorldPlan } {
  const { plan, draft } = planWorld(options);
  return { world: renderWorld(plan, draft), truth: truthFromPlan(plan), plan };
}

/**
 * What the generator draws that the truth does not need, kept for renderWorld: each account's
 * world fields no plan holds (name, OU, dates, IAM, Block Public Access, region settings), its KMS
 * keys as the world lists them, and where each bucket lives and which key encrypts it by default.
 */
export interface WorldDraft {
  regions: string[];
  orgId: string;
  securityId: string;
  /** The region an SCP denies to the Dev OU, when there is one (and it is not opt-in). */
  deniedToDev: string | undefined;
  /** The security account is CloudTrail's delegated administrator (with a trail of its own). */
  delegatedTrail: boolean;
  /** By account id, without trails, buckets, keys or monitoring (rendered from the plan). */
  accounts: Map<string, WorldAccount>;
  /** By account id; an account without an entry lists no keys. */
  keys: Map<string, WorldKmsKey[]>;
  buckets: Map<string, { region: string; kmsKeyArn: string | undefined }>;
}

/**
 * Decide every account, trail, bucket and key (drawing from the seeded generator, always in the
 * same order, so the same options give the same world).
 */
export function planWorld(options: GenerateWorldOptions): { plan: WorldPlan; draft: WorldDraft } {
  const count = Math.max(3, Math.floor(options.accounts));
  const seed = options.seed ?? 1;
  const orgTrailVariant = options.orgTrail ?? 'all-events';
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const asOfMs = Date.parse(asOf);
  if (Number.isNaN(asOfMs)) throw new Error(`generateWorld: asOf ${asOf} is not an ISO 8601 instant`);
  const ago = (hours: number) => new Date(asOfMs - hours * 3_600_000).toISOString().replace(/\.000Z$/, 'Z');
  const rand = prng(seed);
  const chance = (p: number) => rand() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  /** Pick by weight: [[value, weight], ...]. */
  const weighted = <T>(items: readonly (readonly [T, number])[]): T => {
    let r = rand() * items.reduce((n, [, w]) => n + w, 0);
    for (const [v, w] of items) {
      r -= w;
      if (r < 0) return v;
    }
    return items[items.length - 1]![0];
  };
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
  const security = securityId!;
  const orgId = `o-${hex(10)}`;
  const date = (year: number) => `${year}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}T10:00:00Z`;
  const plans: AccountPlan[] = [];
  const accounts = new Map<string, WorldAccount>();
  const keysOf = new Map<string, WorldKmsKey[]>();
  const bucketsAt = new Map<string, { region: string; kmsKeyArn: string | undefined }>();

  // ---- Management account: the organization trail, logging to the log archive. ----
  const orgBucket = `org-cloudtrail-logs-${archive}`;
  const orgKeyId = uuid();
  const orgKeyArn = `arn:aws:kms:${home}:${archive}:key/${orgKeyId}`;
  const orgTrailPlan: TrailPlan = {
    arn: `arn:aws:cloudtrail:${home}:${mgmt}:trail/org-trail`,
    name: 'org-trail',
    ownerId: mgmt,
    organization: true,
    multiRegion: true,
    logging: orgTrailVariant === 'stopped' ? 'stopped' : 'active',
    validation: 'on',
    kms: 'good',
    keyArn: orgKeyArn,
    cloudWatch: orgTrailVariant === 'stopped' ? 'stale' : 'delivering',
    insights: 'both',
    selectors: orgTrailVariant === 'write-only' ? 'org-write-only' : 'org-all',
    dataFor: { bucket: orgBucket, write: 'all', read: 'none' },
    bucket: orgBucket,
  };
  accounts.set(mgmt, {
    id: mgmt,
    name: 'management',
    joinedTimestamp: '2018-01-01T00:00:00Z',
    publicAccessBlock: fullBlock(),
    iam: { users: [{ name: 'admin', managedPolicies: [ADMIN] }], roles: [auditRole(mgmt)] },
  });
  plans.push({
    id: mgmt,
    name: 'management',
    management: true,
    active: true,
    readable: true,
    accountBlockPublicAccess: 'full',
    scpProtected: false,
    exempted: [],
    admins: [`arn:aws:iam::${mgmt}:user/admin`],
    trails: [orgTrailPlan],
    buckets: [],
    keys: [],
  });

  // ---- Log archive: the organization trail's bucket and key. ----
  const orgBucketPlan: BucketPlan = {
    name: orgBucket,
    ownerId: archive,
    ownership: 'BucketOwnerEnforced',
    policy: 'cloudtrail-only',
    blockPublicAccess: 'full',
    objectLock: 'compliance-365',
    accessLogging: 'other-bucket',
    versioning: 'enabled',
    lifecycle: 'long',
  };
  accounts.set(archive, { id: archive, name: 'log-archive', ou: 'Security', publicAccessBlock: fullBlock(), iam: { roles: [auditRole(mgmt)] } });
  bucketsAt.set(orgBucket, { region: home, kmsKeyArn: orgKeyArn });
  keysOf.set(archive, [{ id: orgKeyId, region: home, rotation: true, description: 'Organization trail key', policy: keyPolicy(archive, mgmt, 'allow') }]);
  const archivePlan: AccountPlan = {
    id: archive,
    name: 'log-archive',
    management: false,
    active: true,
    readable: true,
    accountBlockPublicAccess: 'full',
    scpProtected: true,
    exempted: [],
    admins: [],
    trails: [],
    buckets: [orgBucketPlan],
    keys: [{ arn: orgKeyArn, ownerId: archive, awsManaged: false, rotation: true, missing: false }],
  };
  plans.push(archivePlan);

  accounts.set(security, { id: security, name: 'security', ou: 'Security', iam: { roles: [auditRole(mgmt)] } });
  const securityPlan: AccountPlan = {
    id: security,
    name: 'security',
    management: false,
    active: true,
    readable: true,
    accountBlockPublicAccess: 'none',
    scpProtected: true,
    exempted: [],
    admins: [],
    trails: [],
    buckets: [],
    keys: [],
  };
  plans.push(securityPlan);

  // The log archive's shared bucket for account trails, added when the first trail uses it. Its
  // lifecycle rule on `AWSLogs/` reaches only trails that deliver without a key prefix.
  const centralBucket: BucketPlan = {
    name: `central-trail-logs-${archive}`,
    ownerId: archive,
    ownership: 'BucketOwnerEnforced',
    policy: 'cloudtrail-only',
    blockPublicAccess: 'full',
    objectLock: 'governance-365',
    accessLogging: 'none',
    versioning: 'enabled-mfa',
    lifecycle: 'aws-logs-early',
  };
  let centralUsers = 0;
  const useCentralBucket = () => {
    if (archivePlan.buckets.includes(centralBucket)) return;
    archivePlan.buckets.push(centralBucket);
    bucketsAt.set(centralBucket.name, { region: home, kmsKeyArn: undefined });
  };

  // ---- Workload accounts: each its own mix of defects. ----
  const devDenied = regions.length > 1 ? regions[regions.length - 1]! : undefined;
  workloadIds.forEach((id, i) => {
    const ou = pick(OUS);
    const name = `workload-${String(i + 1).padStart(4, '0')}`;
    const active = !chance(0.03);
    const readable = !chance(0.06);
    // An unreadable account's audit role trusts the security account instead of the management account.
    const account: WorldAccount = { id, name, ou, joinedTimestamp: date(2019 + Math.floor(rand() * 6)), iam: { roles: [auditRole(readable ? mgmt : security)] } };
    accounts.set(id, account);
    if (!active) account.status = 'SUSPENDED';
    if (optIn.length > 0 && chance(0.3)) account.optInRegions = [pick(optIn)];
    if (ou === 'Workloads/Dev' && devDenied && !optIn.includes(devDenied)) account.deniedRegions = [devDenied];
    const accountBpa = weighted<PublicAccessBlockPlan>([
      ['none', 4],
      ['full', 4],
      ['partial', 2],
    ]);
    if (accountBpa !== 'none') account.publicAccessBlock = accountBpa === 'full' ? fullBlock() : partialBlock();

    const admins: string[] = [];
    const exempted: string[] = [];
    const users: WorldIamUser[] = [];
    if (chance(0.2)) {
      users.push({ name: 'legacy-admin', managedPolicies: [ADMIN] });
      admins.push(`arn:aws:iam::${id}:user/legacy-admin`);
    }
    const breakGlass = ou === 'Workloads/Prod' ? weighted([
      [0, 6],
      [1, 3],
      [4, 1],
    ]) : chance(0.2) ? 1 : 0;
    for (let n = 1; n <= breakGlass; n++) {
      const roleName = n === 1 ? 'BreakGlass' : `BreakGlass${n}`;
      account.iam!.roles!.push({
        name: roleName,
        trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${security}:root` }, Action: 'sts:AssumeRole' }] },
        managedPolicies: [ADMIN],
      });
      admins.push(`arn:aws:iam::${id}:role/${roleName}`);
      exempted.push(`arn:aws:iam::${id}:role/${roleName}`);
    }
    if (users.length > 0) account.iam!.users = users;

    const plan: AccountPlan = {
      id,
      name,
      management: false,
      active,
      readable,
      accountBlockPublicAccess: accountBpa,
      scpProtected: PROTECTED_OUS.includes(ou),
      exempted,
      admins,
      trails: [],
      buckets: [],
      keys: [],
      ...(account.deniedRegions ? { deniedRegions: [...account.deniedRegions] } : {}),
    };
    plans.push(plan);

    if (chance(0.55)) {
      // A trail homed in the SCP-denied region is multi-region, so the collector lists its shadow
      // elsewhere but cannot read its status, selectors or key: the unknowns become ERRORs. (A
      // single-region trail there would be invisible, and no check can report what it cannot see.)
      const denied = account.deniedRegions?.[0];
      const regionDenied = denied !== undefined && chance(0.3);
      const regionsHere = regions.filter((r) => (!optIn.includes(r) || account.optInRegions?.includes(r)) && !account.deniedRegions?.includes(r));
      const trailRegion = regionDenied ? denied : pick(regionsHere);
      // Some accounts deliver to the log archive's shared bucket, under a key prefix of their own (mostly).
      const central = !regionDenied && chance(0.12);
      const bucketName = central ? centralBucket.name : `trail-logs-${id}`;
      const split = !regionDenied && !central && chance(0.12);
      // Every third account on the shared bucket delivers without a prefix, into the lifecycle rule's reach.
      const keyPrefix = central ? (centralUsers++ % 3 === 2 ? undefined : id) : chance(0.3) ? 'cloudtrail' : undefined;
      const trailPlans: TrailPlan[] = [];
      const keys: WorldKmsKey[] = [];
      const trailCount = split ? 2 : 1;
      for (let n = 0; n < trailCount; n++) {
        const trailName = split ? (n === 0 ? 'reads-trail' : 'writes-trail') : 'account-trail';
        const logging = split ? 'active' : weighted<TrailPlan['logging']>([
          ['active', 75],
          ['stopped', 10],
          ['delivery-error', 8],
          ['stale', 7],
          ['never-delivered', 4],
        ]);
        let cloudWatch = weighted<TrailPlan['cloudWatch']>([
          ['none', 45],
          ['delivering', 35],
          ['error', 10],
          ['stale', 10],
          ['never-delivered', 5],
        ]);
        // A stopped trail delivers nothing to CloudWatch Logs either.
        if (logging === 'stopped' && cloudWatch === 'delivering') cloudWatch = 'stale';
        const kms = weighted<KmsIntent>([
          ['none', 35],
          ['good', 30],
          ['no-cloudtrail-policy', 10],
          ['deny-cloudtrail', 6],
          ['disabled', 7],
          ['pending-deletion', 6],
          ['aws-managed', 6],
          ['missing', 6],
        ]);
        const t: TrailPlan = {
          arn: `arn:aws:cloudtrail:${trailRegion}:${id}:trail/${trailName}`,
          name: trailName,
          ownerId: id,
          organization: false,
          multiRegion: split || regionDenied ? true : !chance(0.25),
          ...(regionDenied ? { regionDenied } : {}),
          logging,
          validation: weighted<TrailPlan['validation']>([
            ['on', 65],
            ['off', 25],
            ['digest-error', 10],
          ]),
          kms,
          cloudWatch,
          insights: weighted<TrailPlan['insights']>([
            ['none', 50],
            ['partial', 20],
            ['both', 30],
          ]),
          selectors: split ? (n === 0 ? 'classic-read-only' : 'classic-write-only') : pick(SELECTOR_VARIANTS),
          bucket: bucketName,
          ...(keyPrefix ? { keyPrefix } : {}),
        };
        if (kms !== 'none') {
          const keyId = uuid();
          t.keyArn = `arn:aws:kms:${trailRegion}:${id}:key/${keyId}`;
          const rotation = chance(0.6);
          const rotationPeriodDays = rotation && kms !== 'aws-managed' && chance(0.15) ? 730 : undefined;
          const key: KeyPlan = {
            arn: t.keyArn,
            ownerId: id,
            awsManaged: kms === 'aws-managed',
            rotation: kms === 'aws-managed' ? true : rotation,
            ...(rotationPeriodDays ? { rotationPeriodDays } : {}),
            missing: kms === 'missing',
            ...(regionDenied ? { regionDenied } : {}),
          };
          plan.keys.push(key);
          if (kms !== 'missing') {
            const state = kms === 'disabled' ? 'Disabled' : kms === 'pending-deletion' ? 'PendingDeletion' : 'Enabled';
            keys.push({
              id: keyId,
              region: trailRegion,
              state,
              ...(state === 'PendingDeletion' ? { deletionDate: ago(-24 * 20) } : {}),
              ...(kms === 'aws-managed'
                ? { manager: 'AWS' as const, aliases: ['alias/aws/s3'], policy: awsManagedKeyPolicy(id, trailRegion, 's3') }
                : { rotation, ...(rotationPeriodDays ? { rotationPeriodDays } : {}), policy: keyPolicy(id, id, kms === 'no-cloudtrail-policy' ? 'none' : kms === 'deny-cloudtrail' ? 'deny' : 'allow') }),
            });
          }
        }
        trailPlans.push(t);
      }

      const aclGrantee = weighted<BucketPlan['aclGrantee']>([
        [undefined, 84],
        ['AllUsers', 8],
        ['AuthenticatedUsers', 8],
      ]);
      const policy = weighted<BucketPlan['policy']>([
        ['cloudtrail-only', 70],
        ['public', 6],
        ['public-any-ip', 4],
        ['public-not-equals', 3],
        ['org-pinned', 7],
        ['vpce-pinned', 5],
        ['aws-says-public', 5],
      ]);
      const exposed = aclGrantee !== undefined || policy.startsWith('public') || policy === 'aws-says-public';
      const bucketPlan: BucketPlan = {
        name: bucketName,
        ownerId: id,
        ...(aclGrantee ? { aclGrantee } : {}),
        // A public grant under BucketOwnerEnforced is disabled: the neutralised case.
        ownership: aclGrantee && chance(0.85) ? 'ObjectWriter' : 'BucketOwnerEnforced',
        policy,
        blockPublicAccess: exposed
          ? weighted<PublicAccessBlockPlan>([
              ['none', 75],
              ['partial', 10],
              ['full', 15],
            ])
          : chance(0.15)
            ? 'none'
            : 'full',
        objectLock: weighted<BucketPlan['objectLock']>([
          ['none', 40],
          ['enabled-no-retention', 8],
          ['compliance-365', 20],
          ['compliance-1y', 10],
          ['governance-365', 10],
          ['compliance-short', 10],
          ['governance-short', 10],
        ]),
        accessLogging: weighted<BucketPlan['accessLogging']>([
          ['none', 50],
          ['other-bucket', 35],
          ['itself', 15],
        ]),
        versioning: weighted<BucketPlan['versioning']>([
          ['never', 25],
          ['suspended', 10],
          ['enabled', 40],
          ['enabled-mfa', 25],
        ]),
        lifecycle: weighted<BucketPlan['lifecycle']>([
          ['none', 35],
          ['long', 20],
          ['expires-early', 15],
          ['noncurrent-early', 10],
          ['scoped-away', 10],
          ['disabled-rule', 10],
          ['aws-logs-early', 10],
        ]),
      };
      const goodKey = trailPlans.find((t) => t.kms === 'good')?.keyArn;
      plan.trails = trailPlans;
      keysOf.set(id, keys);
      if (central) useCentralBucket();
      else {
        plan.buckets = [bucketPlan];
        // The bucket of a trail homed in the denied region lives in an allowed one (S3 stays readable).
        bucketsAt.set(bucketName, { region: regionDenied ? pick(regionsHere) : trailRegion, kmsKeyArn: goodKey });
      }
    }
  });

  // ---- A bucket and a key owned outside the scan: a suspended account's, still used by scanned trails. ----
  const outside = plans.find((p) => !p.active);
  if (outside) {
    const bucket: BucketPlan = { ...centralBucket, name: `legacy-trail-logs-${outside.id}`, ownerId: outside.id, lifecycle: 'none' };
    const keyId = uuid();
    const keyArn = `arn:aws:kms:${home}:${outside.id}:key/${keyId}`;
    bucketsAt.set(bucket.name, { region: home, kmsKeyArn: undefined });
    keysOf.set(outside.id, [...(keysOf.get(outside.id) ?? []), { id: keyId, region: home, rotation: true, policy: keyPolicy(outside.id, '*', 'allow') }]);
    outside.buckets.push(bucket);
    outside.keys.push({ arn: keyArn, ownerId: outside.id, awsManaged: false, rotation: true, missing: false });
    let moved = 0;
    let keyMoved = false;
    for (const p of plans) {
      if (moved === 2) break;
      const t = p.trails[0];
      if (!p.active || !p.readable || p.trails.length !== 1 || !t || t.regionDenied || p.buckets[0]?.name !== `trail-logs-${p.id}` || !chance(0.2)) continue;
      t.bucket = bucket.name;
      if (!keyMoved) {
        // The first such trail also encrypts with the outside account's key (instead of its own).
        const own = t.keyArn;
        p.keys = p.keys.filter((k) => k.arn !== own);
        keysOf.set(p.id, (keysOf.get(p.id) ?? []).filter((k) => `arn:aws:kms:${k.region}:${p.id}:key/${k.id}` !== own));
        t.kms = 'outside';
        t.keyArn = keyArn;
        keyMoved = true;
      }
      p.buckets = [];
      moved++;
    }
  }

  // ---- Sometimes the security account is CloudTrail's delegated administrator with an organization
  // trail of its own: single-region, so it covers nothing, judged in the security account. ----
  // Drawn from its own stream, so that adding a defect elsewhere does not flip it.
  const delegatedTrail = prng(seed * 7919 + 13)() < 0.5;
  if (delegatedTrail) {
    const t: TrailPlan = {
      arn: `arn:aws:cloudtrail:${home}:${security}:trail/security-org-trail`,
      name: 'security-org-trail',
      ownerId: security,
      organization: true,
      multiRegion: false,
      logging: 'active',
      validation: 'on',
      kms: 'none',
      cloudWatch: 'none',
      insights: 'none',
      selectors: 'default',
      bucket: orgBucket,
      keyPrefix: 'security',
    };
    securityPlan.trails.push(t);
  }

  // CloudTrail Lake event data stores, derived from the account id so the rest of a seeded world is unchanged.
  for (const p of plans) {
    const stores = generatedStores(p.id, p.id === mgmt, home);
    if (stores.length > 0) p.eventDataStores = stores;
  }

  const plan: WorldPlan = { seed, asOf, partition: 'aws', managementId: mgmt, orgTrail: orgTrailVariant, accounts: plans };
  const deniedToDev = devDenied && !optIn.includes(devDenied) ? devDenied : undefined;
  return { plan, draft: { regions, orgId, securityId: security, deniedToDev, delegatedTrail, accounts, keys: keysOf, buckets: bucketsAt } };
}

/** The world a plan describes: no drawing, no second pass. */
export function renderWorld(plan: WorldPlan, draft: WorldDraft): World {
  const asOfMs = Date.parse(plan.asOf);
  const ago = (hours: number) => new Date(asOfMs - hours * 3_600_000).toISOString().replace(/\.000Z$/, 'Z');
  const { orgId, securityId: security, deniedToDev, delegatedTrail } = draft;
  const accounts = plan.accounts.map((p): WorldAccount => {
    const account: WorldAccount = { ...(draft.accounts.get(p.id) as WorldAccount) };
    const trails = p.trails.map((t) => ({ plan: t, region: t.arn.split(':')[3] as string, accountId: p.id }));
    if (trails.length > 0) account.trails = trails.map((t) => worldTrail(t.plan, t.region, p.id, ago));
    const keys = draft.keys.get(p.id);
    if (keys) account.kmsKeys = keys;
    if (p.buckets.length > 0) {
      account.buckets = p.buckets.map((b) => {
        const at = draft.buckets.get(b.name) as { region: string; kmsKeyArn: string | undefined };
        return worldBucket(b, at.region, orgId, at.kmsKeyArn);
      });
    }
    // Metric filters, alarms and topics for the trails that deliver to CloudWatch Logs.
    const monitoring = worldMonitoring(trails);
    if (monitoring) account.monitoring = monitoring;
    // CloudTrail Lake event data stores (planned from the account id).
    if (p.eventDataStores) {
      account.eventDataStores = p.eventDataStores.map((st) => ({
        name: st.name,
        region: st.region,
        ...(st.organization ? { organization: true } : {}),
        ...(st.customerKey ? { kmsKeyId: `arn:aws:kms:${st.region}:${p.id}:key/1a4e0000-0000-4000-8000-${p.id}` } : {}),
      }));
    }
    return account;
  });

  return {
    regions: draft.regions,
    organization: {
      id: orgId,
      managementAccountId: plan.managementId,
      policies: [
        {
          name: 'ProtectCloudTrail',
          type: 'SERVICE_CONTROL_POLICY',
          targets: ['root'],
          document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail'], Resource: '*' }] },
        },
        {
          name: 'DenyCloudTrailTamper',
          type: 'SERVICE_CONTROL_POLICY',
          targets: PROTECTED_OUS,
          document: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'DenyTamperExceptBreakGlass',
                Effect: 'Deny',
                Action: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:PutInsightSelectors'],
                Resource: '*',
                Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/BreakGlass*' } },
              },
            ],
          },
        },
        ...(deniedToDev
          ? [
              {
                name: 'DenyRegionForDev',
                type: 'SERVICE_CONTROL_POLICY' as const,
                targets: ['Workloads/Dev'],
                document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotAction: ['iam:*', 'sts:*', 'organizations:*'], Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': deniedToDev } } }] },
              },
            ]
          : []),
      ],
      ous: OUS,
      delegatedAdministrators: [
        { accountId: security, servicePrincipal: 'securityhub.amazonaws.com' },
        ...(delegatedTrail ? [{ accountId: security, servicePrincipal: 'cloudtrail.amazonaws.com' }] : []),
      ],
    },
    accounts,
  };
}

/** Write `world.json` and `truth.json` into `dir` (created if missing); returns their paths. */
export function writeGeneratedWorld(dir: string, options: GenerateWorldOptions): { world: string; truth: string } {
  const { world, truth } = generateWorldWithTruth(options);
  mkdirSync(dir, { recursive: true });
  const paths = { world: join(dir, 'world.json'), truth: join(dir, 'truth.json') };
  writeFileSync(paths.world, `${JSON.stringify(world, null, 2)}\n`);
  writeFileSync(paths.truth, `${JSON.stringify(truth, null, 2)}\n`);
  return paths;
}

// ---- From plan to world file ----

function fullBlock(): WorldPublicAccessBlock {
  return { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
}

/** Refuses new public grants and policies but leaves existing ones in force. */
function partialBlock(): WorldPublicAccessBlock {
  return { blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: true, restrictPublicBuckets: false };
}

/**
 * The account root may administer the key; CloudTrail may encrypt for the trail owner's trails
 * (`allow`), is not named (`none`), or is allowed and then denied (`deny`: the Deny wins).
 */
function keyPolicy(keyOwner: string, trailOwner: string, cloudTrail: 'allow' | 'none' | 'deny'): PolicyDocument {
  const statements: Record<string, unknown>[] = [
    { Sid: 'EnableRootPermissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${keyOwner}:root` }, Action: 'kms:*', Resource: '*' },
  ];
  if (cloudTrail === 'deny') {
    statements.push({ Sid: 'NoCloudTrail', Effect: 'Deny', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:*', Resource: '*' });
  }
  if (cloudTrail !== 'none') {
    statements.push({
      Sid: 'AllowCloudTrailEncrypt',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${trailOwner}:trail/*` } },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * The policy AWS gives its managed keys: use only through the service, metadata for the account.
 * Nobody can change, disable or delete an AWS managed key (the simulator's default key policy, root
 * may kms:*, fits customer keys only).
 */
function awsManagedKeyPolicy(accountId: string, region: string, service: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Id: `auto-${service}-2`,
    Statement: [
      {
        Sid: `Allow access through ${service.toUpperCase()} for all principals in the account that are authorized to use ${service.toUpperCase()}`,
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': accountId, 'kms:ViaService': `${service}.${region}.amazonaws.com` } },
      },
      {
        Sid: 'Allow direct access to key metadata to the account',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
        Resource: '*',
      },
    ],
  };
}

function s3ObjectSelector(extra: Record<string, unknown>[]): Record<string, unknown>[] {
  return [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, ...extra];
}

function selectorsOf(variant: SelectorVariant, bucket: string): Pick<WorldTrail, 'eventSelectors' | 'advancedEventSelectors'> {
  const management = { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] };
  const classic = (readWriteType: string, dataValues: string[], exclude: string[] = []) => ({
    eventSelectors: [
      {
        ReadWriteType: readWriteType,
        IncludeManagementEvents: true,
        DataResources: dataValues.length > 0 ? [{ Type: 'AWS::S3::Object', Values: dataValues }] : [],
        ExcludeManagementEventSources: exclude,
      },
    ],
  });
  const bucketPrefix = `arn:aws:s3:::${bucket}/`;
  switch (variant) {
    case 'default':
      return {};
    case 'classic-all-data':
      return classic('All', [bucketPrefix]);
    case 'classic-read-only':
      return classic('ReadOnly', []);
    case 'classic-write-only':
      return classic('WriteOnly', []);
    case 'classic-exclude-kms':
      return classic('All', [], ['kms.amazonaws.com']);
    case 'classic-data-prefix':
      return classic('All', [`${bucketPrefix}AWSLogs/`]);
    case 'advanced-mgmt-write-data':
      return { advancedEventSelectors: [management, { Name: 'S3 object writes', FieldSelectors: s3ObjectSelector([{ Field: 'readOnly', Equals: ['false'] }]) }] };
    case 'advanced-mgmt-read-data-bucket':
      return {
        advancedEventSelectors: [
          management,
          { Name: 'Log bucket reads', FieldSelectors: s3ObjectSelector([{ Field: 'readOnly', Equals: ['true'] }, { Field: 'resources.ARN', StartsWith: [bucketPrefix] }]) },
        ],
      };
    case 'advanced-mgmt-write-only':
      return { advancedEventSelectors: [{ Name: 'Management events selector', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] }] };
    case 'advanced-data-only':
      // Named like a management selector: names mean nothing.
      return { advancedEventSelectors: [{ Name: 'Management events', FieldSelectors: s3ObjectSelector([{ Field: 'resources.ARN', StartsWith: [bucketPrefix] }]) }] };
    case 'classic-read-plus-write':
      return {
        eventSelectors: [
          { ReadWriteType: 'ReadOnly', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] },
          { ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] },
        ],
      };
    case 'advanced-read-plus-write':
      return {
        advancedEventSelectors: [
          { Name: 'reads', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['true'] }] },
          { Name: 'writes', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] },
        ],
      };
    case 'advanced-exclude-source':
      return { advancedEventSelectors: [{ Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] }] }] };
    case 'classic-read-only-all-buckets':
      return {
        eventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }], ExcludeManagementEventSources: [] }],
      };
    case 'advanced-other-bucket':
      return { advancedEventSelectors: [management, { Name: 'Archive objects', FieldSelectors: s3ObjectSelector([{ Field: 'resources.ARN', StartsWith: [`arn:aws:s3:::${bucket}-archive/`] }]) }] };
    case 'advanced-put-only':
      return { advancedEventSelectors: [management, { Name: 'S3 puts', FieldSelectors: s3ObjectSelector([{ Field: 'eventName', Equals: ['PutObject'] }]) }] };
    case 'org-all':
    case 'org-write-only': {
      const writes = { Name: 'Log archive writes', FieldSelectors: s3ObjectSelector([{ Field: 'readOnly', Equals: ['false'] }, { Field: 'resources.ARN', StartsWith: [bucketPrefix] }]) };
      const mgmt = variant === 'org-all' ? management : { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] };
      return { advancedEventSelectors: [mgmt, writes] };
    }
  }
}

function worldTrail(t: TrailPlan, region: string, accountId: string, ago: (hours: number) => string): WorldTrail {
  const status: NonNullable<WorldTrail['status']> =
    t.logging === 'stopped'
      ? { isLogging: false, startLoggingTime: ago(24 * 400), stopLoggingTime: ago(24 * 12), latestDeliveryTime: ago(24 * 12) }
      : t.logging === 'never-delivered'
        ? { isLogging: true, startLoggingTime: ago(2) }
        : { isLogging: true, startLoggingTime: ago(24 * 400), latestDeliveryTime: ago(t.logging === 'stale' ? 72 : 1) };
  if (t.logging === 'delivery-error') status.latestDeliveryError = 'AccessDenied';
  if (t.validation !== 'off') status.latestDigestDeliveryTime = ago(1);
  if (t.validation === 'digest-error') status.latestDigestDeliveryError = 'AccessDenied';
  const trail: WorldTrail = {
    name: t.name,
    homeRegion: region,
    multiRegion: t.multiRegion,
    ...(t.organization ? { organization: true } : {}),
    bucket: t.bucket,
    ...(t.keyPrefix ? { keyPrefix: t.keyPrefix } : {}),
    logFileValidation: t.validation !== 'off',
    status,
    ...selectorsOf(t.selectors, t.bucket),
  };
  if (t.keyArn) trail.kmsKeyId = t.keyArn;
  // A stopped trail's Event History shows who stopped it (trail-logging-continuity: an open window).
  if (t.logging === 'stopped') trail.loggingWindows = [{ stoppedAt: ago(24 * 12), by: `arn:aws:iam::${accountId}:user/admin` }];
  if (t.cloudWatch !== 'none') {
    trail.cloudWatchLogsLogGroupArn = `arn:aws:logs:${region}:${accountId}:log-group:cloudtrail-${t.name}:*`;
    trail.cloudWatchLogsRoleArn = `arn:aws:iam::${accountId}:role/CloudTrailToCloudWatchLogs`;
    if (t.cloudWatch !== 'never-delivered') status.latestCloudWatchLogsDeliveryTime = t.cloudWatch === 'stale' ? ago(t.logging === 'stopped' ? 24 * 12 : 72) : ago(0.25);
    if (t.cloudWatch === 'error') status.latestCloudWatchLogsDeliveryError = 'AccessDenied';
  }
  if (t.insights !== 'none') {
    trail.insightSelectors = t.insights === 'both' ? [{ InsightType: 'ApiCallRateInsight' }, { InsightType: 'ApiErrorRateInsight' }] : [{ InsightType: 'ApiCallRateInsight' }];
  }
  return trail;
}

function worldBucket(b: BucketPlan, region: string, orgId: string, kmsKeyArn: string | undefined): WorldBucket {
  const arn = `arn:aws:s3:::${b.name}`;
  const statements: Record<string, unknown>[] = [
    { Sid: 'AWSCloudTrailAclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: arn },
    { Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `${arn}/*` },
  ];
  if (b.policy === 'public') statements.push({ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${arn}/*` });
  if (b.policy === 'public-any-ip') {
    statements.push({ Sid: 'ReadFromAnywhere', Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: `${arn}/*`, Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '0.0.0.0/0'] } } });
  }
  if (b.policy === 'public-not-equals') {
    statements.push({ Sid: 'ReadExceptOne', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${arn}/*`, Condition: { StringNotEquals: { 'aws:SourceAccount': '111122223333' } } });
  }
  if (b.policy === 'vpce-pinned') {
    statements.push({ Sid: 'ReadFromVpce', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${arn}/*`, Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60718' } } });
  }
  if (b.policy === 'org-pinned' || b.policy === 'aws-says-public') {
    statements.push({
      Sid: 'OrganizationRead',
      Effect: 'Allow',
      Principal: '*',
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: [arn, `${arn}/*`],
      Condition: { StringEquals: { 'aws:PrincipalOrgID': orgId } },
    });
  }
  const bucket: WorldBucket = { name: b.name, region, policy: { Version: '2012-10-17', Statement: statements } };
  // S3 knows of a way in that the statements do not show (our analysis finds the policy pinned).
  if (b.policy === 'aws-says-public') bucket.policyStatus = { isPublic: true };
  if (b.aclGrantee) bucket.acl = { grants: [{ grantee: 'owner', permission: 'FULL_CONTROL' }, { grantee: b.aclGrantee, permission: 'READ' }] };
  if (b.ownership !== 'BucketOwnerEnforced') bucket.ownershipControls = b.ownership;
  if (b.blockPublicAccess === 'none') bucket.publicAccessBlock = null;
  if (b.blockPublicAccess === 'partial') bucket.publicAccessBlock = partialBlock();
  const lock: Record<BucketPlan['objectLock'], WorldBucket['objectLock']> = {
    none: undefined,
    'enabled-no-retention': { enabled: true },
    'compliance-365': { mode: 'COMPLIANCE', days: 365 },
    'compliance-1y': { mode: 'COMPLIANCE', years: 1 },
    'governance-365': { mode: 'GOVERNANCE', days: 365 },
    'compliance-short': { mode: 'COMPLIANCE', days: 30 },
    'governance-short': { mode: 'GOVERNANCE', days: 90 },
  };
  if (lock[b.objectLock]) bucket.objectLock = lock[b.objectLock];
  if (kmsKeyArn) bucket.encryption = { algorithm: 'aws:kms', kmsKeyId: kmsKeyArn, bucketKey: true };
  if (b.accessLogging === 'other-bucket') bucket.logging = { targetBucket: `access-logs-${b.ownerId}`, targetPrefix: `${b.name}/` };
  if (b.accessLogging === 'itself') bucket.logging = { targetBucket: b.name, targetPrefix: 'access/' };
  if (b.versioning !== 'never') bucket.versioning = { status: b.versioning === 'suspended' ? 'Suspended' : 'Enabled', mfaDelete: b.versioning === 'enabled-mfa' };
  const lifecycle: Record<BucketPlan['lifecycle'], WorldBucket['lifecycle']> = {
    none: undefined,
    long: [{ id: 'archive', transitions: [{ days: 90, storageClass: 'GLACIER' }], expirationDays: 2555 }],
    'expires-early': [{ id: 'expire-logs', expirationDays: 90 }],
    'noncurrent-early': [{ id: 'tidy-versions', expirationDays: 2555, noncurrentVersionExpirationDays: 30 }],
    'scoped-away': [{ id: 'tmp-cleanup', prefix: 'tmp/', expirationDays: 7 }],
    'disabled-rule': [{ id: 'old-expiry', status: 'Disabled', expirationDays: 30 }],
    'aws-logs-early': [{ id: 'expire-awslogs', prefix: 'AWSLogs/', expirationDays: 30 }],
  };
  if (lifecycle[b.lifecycle]) bucket.lifecycle = lifecycle[b.lifecycle];
  return bucket;
}
