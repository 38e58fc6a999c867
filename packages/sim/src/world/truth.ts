/**
 * The generator's ground truth: the verdict each built-in check must give for each resource of a
 * generated world, derived from what the generator *meant* to build (its plan), never by running a
 * check. A disagreement between a check and this file is a bug in one of them.
 */

import { eventDataStoreArn } from './event-data-store-ids.js';
import { CIS_FILTERS, type MonitoringVariant, monitoringVariant } from './generate-monitoring.js';

export type TruthStatus = 'PASS' | 'FAIL' | 'ERROR' | 'NOT_APPLICABLE';

export interface TruthEntry {
  checkId: string;
  /** The account the finding belongs to (a bucket's or key's owner, a trail's owner). */
  accountId: string;
  /** The finding's resource ARN: a trail, bucket or key ARN, a principal ARN, or the account's root ARN. */
  resource: string;
  status: TruthStatus;
  /** The check's message id, where its README makes it certain (FAIL for which reason). */
  messageId?: string;
  /** Why the generator expects this verdict, in words. */
  why: string;
}

export interface GroundTruth {
  /** Format version of this file. */
  version: 1;
  seed: number;
  /** The instant the world's timestamps are relative to: evaluate with `now` = this. */
  asOf: string;
  /** The check ids this truth speaks for; other checks' findings are not judged by it. */
  checks: string[];
  /** Sorted by checkId, accountId, resource. */
  entries: TruthEntry[];
}

// ---- The plan: what the generator decided, in the vocabulary of the defects it injects. ----

export type OrgTrailVariant = 'all-events' | 'write-only' | 'stopped';

/** What a trail's event selectors record, named by intent. */
export type SelectorVariant =
  | 'default' // never configured: all management events, no data events
  | 'classic-all-data' // classic All + management + S3 objects of its bucket
  | 'classic-read-only' // classic ReadOnly management events only
  | 'classic-write-only' // classic WriteOnly management events only
  | 'classic-exclude-kms' // all management events but kms.amazonaws.com excluded
  | 'classic-data-prefix' // all management events + S3 objects under <bucket>/AWSLogs/ only (narrowed)
  | 'advanced-mgmt-write-data' // management + S3 object writes, all buckets
  | 'advanced-mgmt-read-data-bucket' // management + S3 object reads of its bucket
  | 'advanced-mgmt-write-only' // management events with readOnly = false only
  | 'advanced-data-only' // S3 object data events of its bucket (read and write), no management events
  | 'classic-read-plus-write' // a ReadOnly and a WriteOnly management selector on the same trail: all of them
  | 'advanced-read-plus-write' // readOnly = true and readOnly = false management selectors on the same trail
  | 'advanced-exclude-source' // management events with eventSource NotEquals kms.amazonaws.com
  | 'classic-read-only-all-buckets' // classic ReadOnly: management reads and object reads of every bucket
  | 'advanced-other-bucket' // management + S3 objects of <bucket>-archive/ (a name that extends its bucket's)
  | 'advanced-put-only' // management + S3 objects filtered to eventName PutObject
  | 'org-all' // the organization trail: all management events + S3 object writes of the log archive bucket
  | 'org-write-only'; // the organization trail: write management events only + the same data selector

export interface SelectorMeaning {
  /** Records all read and all write management events, nothing narrowed. */
  managementAll: boolean;
  /** How much of its own bucket's object-level writes / reads it records. */
  write: 'all' | 'some' | 'none';
  read: 'all' | 'some' | 'none';
}

export const SELECTOR_MEANING: Record<SelectorVariant, SelectorMeaning> = {
  default: { managementAll: true, write: 'none', read: 'none' },
  'classic-all-data': { managementAll: true, write: 'all', read: 'all' },
  'classic-read-only': { managementAll: false, write: 'none', read: 'none' },
  'classic-write-only': { managementAll: false, write: 'none', read: 'none' },
  'classic-exclude-kms': { managementAll: false, write: 'none', read: 'none' },
  'classic-data-prefix': { managementAll: true, write: 'some', read: 'some' },
  'advanced-mgmt-write-data': { managementAll: true, write: 'all', read: 'none' },
  'advanced-mgmt-read-data-bucket': { managementAll: true, write: 'none', read: 'all' },
  'advanced-mgmt-write-only': { managementAll: false, write: 'none', read: 'none' },
  'advanced-data-only': { managementAll: false, write: 'all', read: 'all' },
  'classic-read-plus-write': { managementAll: true, write: 'none', read: 'none' },
  'advanced-read-plus-write': { managementAll: true, write: 'none', read: 'none' },
  'advanced-exclude-source': { managementAll: false, write: 'none', read: 'none' },
  'classic-read-only-all-buckets': { managementAll: false, write: 'none', read: 'all' },
  'advanced-other-bucket': { managementAll: true, write: 'none', read: 'none' },
  'advanced-put-only': { managementAll: true, write: 'some', read: 'none' },
  'org-all': { managementAll: true, write: 'none', read: 'none' },
  'org-write-only': { managementAll: false, write: 'none', read: 'none' },
};

/** `outside`: a key owned by an account outside the scan. */
export type KmsIntent = 'none' | 'good' | 'no-cloudtrail-policy' | 'deny-cloudtrail' | 'disabled' | 'pending-deletion' | 'aws-managed' | 'missing' | 'outside';

export interface TrailPlan {
  arn: string;
  name: string;
  ownerId: string;
  organization: boolean;
  multiRegion: boolean;
  logging: 'active' | 'stopped' | 'delivery-error' | 'stale' | 'never-delivered';
  validation: 'on' | 'off' | 'digest-error';
  kms: KmsIntent;
  /** Key ARN when kms is not 'none' (for 'missing', an ARN no key has). */
  keyArn?: string;
  cloudWatch: 'none' | 'delivering' | 'error' | 'stale' | 'never-delivered';
  insights: 'none' | 'partial' | 'both';
  selectors: SelectorVariant;
  /** Records object-level events for this bucket (the organization trail's selector). */
  dataFor?: { bucket: string; write: 'all' | 'some' | 'none'; read: 'all' | 'some' | 'none' };
  bucket: string;
  /** S3 key prefix: the logs go under `<prefix>/AWSLogs/`. */
  keyPrefix?: string;
  /** Homed in a region an SCP denies to its account: its status, selectors and key cannot be read. */
  regionDenied?: boolean;
}

export interface KeyPlan {
  arn: string;
  ownerId: string;
  awsManaged: boolean;
  rotation: boolean;
  /** Automatic rotation period; absent = AWS's 365 days. */
  rotationPeriodDays?: number;
  /** The trail names the key, but it does not exist. */
  missing: boolean;
  /** In a region an SCP denies to its account: KMS answers AccessDenied. */
  regionDenied?: boolean;
}

export type PublicAccessBlockPlan = 'none' | 'full' | 'partial';

export interface BucketPlan {
  name: string;
  ownerId: string;
  aclGrantee?: 'AllUsers' | 'AuthenticatedUsers';
  ownership: 'BucketOwnerEnforced' | 'ObjectWriter';
  policy: 'cloudtrail-only' | 'public' | 'public-any-ip' | 'public-not-equals' | 'org-pinned' | 'vpce-pinned' | 'aws-says-public';
  /** Bucket-level Block Public Access: default (all four on), never configured, or partial (no Ignore/Restrict). */
  blockPublicAccess: PublicAccessBlockPlan;
  objectLock: 'none' | 'enabled-no-retention' | 'compliance-365' | 'compliance-1y' | 'governance-365' | 'compliance-short' | 'governance-short';
  accessLogging: 'none' | 'other-bucket' | 'itself';
  versioning: 'never' | 'suspended' | 'enabled' | 'enabled-mfa';
  /** `aws-logs-early`: a rule on `AWSLogs/` expiring in 30 days, which reaches only trails without a key prefix. */
  lifecycle: 'none' | 'long' | 'expires-early' | 'noncurrent-early' | 'scoped-away' | 'disabled-rule' | 'aws-logs-early';
}

export interface AccountPlan {
  id: string;
  /** CloudTrail Lake event data stores the account owns (see event-data-store-ids.ts). */
  eventDataStores?: { name: string; region: string; customerKey: boolean; organization: boolean }[];
  name: string;
  management: boolean;
  /** SUSPENDED accounts are not scanned. */
  active: boolean;
  /** The audit role trusts the management account; false: AssumeRole is denied. */
  readable: boolean;
  accountBlockPublicAccess: PublicAccessBlockPlan;
  /** An SCP denies every CloudTrail tamper action on this account's path (with a break-glass exemption). */
  scpProtected: boolean;
  /** Principal ARNs the SCP exemption lets through (break-glass roles). */
  exempted: string[];
  /** Principals with administrator rights (users and roles), besides the root user. */
  admins: string[];
  trails: TrailPlan[];
  buckets: BucketPlan[];
  keys: KeyPlan[];
  /** Regions an SCP denies to this account: DescribeTrails answers AccessDenied there. */
  deniedRegions?: string[];
}

export interface WorldPlan {
  seed: number;
  asOf: string;
  partition: string;
  managementId: string;
  orgTrail: OrgTrailVariant;
  accounts: AccountPlan[];
}

/** The CIS monitoring checks (checks/monitoring): one finding per account each. */
export const MONITOR_CHECKS = Object.keys(CIS_FILTERS)
  .map((topic) => `monitor-${topic}`)
  .sort();

/** The checks whose verdicts the plan predicts. */
export const TRUTH_CHECKS = [
  'lake-kms-encryption',
  ...MONITOR_CHECKS,
  'org-scp-trail-protection',
  'org-trail-coverage',
  'trail-api-least-privilege',
  'trail-bucket-access-logging',
  'trail-bucket-not-public',
  'trail-bucket-object-lock',
  'trail-bucket-retention',
  'trail-bucket-versioning-mfa-delete',
  'trail-cloudwatch-logs',
  'trail-insights',
  'trail-kms-encryption',
  'trail-kms-key-rotation',
  'trail-log-file-validation',
  'trail-logging-active',
  'trail-logging-continuity',
  'trail-multi-region',
  'trail-s3-data-events-read',
  'trail-s3-data-events-write',
] as const;

const MAX_EXEMPTED = 3;
const BUCKET_CHECKS = [
  'trail-bucket-access-logging',
  'trail-bucket-not-public',
  'trail-bucket-object-lock',
  'trail-bucket-retention',
  'trail-bucket-versioning-mfa-delete',
  'trail-s3-data-events-read',
  'trail-s3-data-events-write',
];

/** Derive the verdicts from the plan. */
export function truthFromPlan(plan: WorldPlan): GroundTruth {
  const entries = new Map<string, TruthEntry>();
  const add = (checkId: string, accountId: string, resource: string, status: TruthStatus, why: string, messageId?: string) => {
    const key = `${checkId}|${accountId}|${resource}`;
    const prior = entries.get(key);
    if (prior && prior.status !== status) throw new Error(`ground truth: ${key} is both ${prior.status} (${prior.why}) and ${status} (${why})`);
    if (!prior) entries.set(key, { checkId, accountId, resource, status, ...(messageId ? { messageId } : {}), why });
  };
  const root = (id: string) => `arn:${plan.partition}:iam::${id}:root`;
  const scanned = plan.accounts.filter((a) => a.active);
  // Organization trails (the management account's, perhaps a CloudTrail delegated administrator's) apply everywhere.
  const orgTrails = plan.accounts.filter((a) => a.active && a.readable).flatMap((a) => a.trails.filter((t) => t.organization));
  const trailsApplying = (a: AccountPlan) => [...orgTrails.filter((t) => t.ownerId !== a.id), ...a.trails];
  const isLogging = (t: TrailPlan) => t.logging !== 'stopped';
  // Trails the collector sees: those of scanned, readable accounts. Only their buckets and keys are read.
  const visible = scanned
    .filter((a) => a.readable)
    .flatMap((a) => a.trails)
    .sort((x, y) => cmp(x.arn, y.arn));
  const writersOf = (bucket: string) => visible.filter((t) => t.bucket === bucket);

  // Buckets and keys whose owner is not scanned: unknown, reported against the first trail that uses them.
  for (const a of plan.accounts.filter((x) => !x.active)) {
    for (const b of a.buckets) {
      const first = writersOf(b.name)[0];
      if (!first) continue;
      for (const c of BUCKET_CHECKS) add(c, first.ownerId, `arn:${plan.partition}:s3:::${b.name}`, 'ERROR', `bucket owned by ${a.id}, which is not scanned (suspended)`);
    }
    for (const k of a.keys) {
      if (visible.some((t) => t.keyArn === k.arn)) add('trail-kms-key-rotation', k.ownerId, k.arn, 'ERROR', `key owned by ${a.id}, which is not scanned (suspended)`);
    }
  }

  for (const a of scanned) {
    if (!a.readable) {
      // Nothing of the account could be read: every check reports it as unknown, once, on the account.
      for (const c of TRUTH_CHECKS) add(c, a.id, root(a.id), 'ERROR', 'the audit role does not trust the management account: AssumeRole is denied');
      continue;
    }
    const applying = trailsApplying(a);
    // A region an SCP denies (DescribeTrails answers "explicit deny in a service control policy"
    // while other regions answer) is the account's scope, not an ERROR per region and check.

    // lake-kms-encryption: each store judged in its owner; an account without any (every region listed) is NOT_APPLICABLE.
    const stores = (a.eventDataStores ?? []).filter((st) => !a.deniedRegions?.includes(st.region));
    for (const st of stores) {
      const arn = eventDataStoreArn(plan.partition, a.id, st.region, st.name);
      add('lake-kms-encryption', a.id, arn, st.customerKey ? 'PASS' : 'FAIL', st.customerKey ? 'customer managed key' : 'a key AWS owns', st.customerKey ? 'encrypted' : 'awsOwnedKey');
    }
    if (stores.length === 0) add('lake-kms-encryption', a.id, root(a.id), 'NOT_APPLICABLE', 'no event data stores in any region', 'noStores');

    const known = applying.filter((t) => !t.regionDenied);
    // A multi-region trail whose status and selectors are unreadable might have qualified.
    const unknown = applying.find((t) => t.regionDenied && t.multiRegion);
    const unknownWhy = unknown ? `; ${unknown.name} is homed in an SCP-denied region, its status and selectors are unreadable` : '';

    // trail-multi-region: some applying trail is multi-region, logging and records all management events.
    const qualifying = known.find((t) => t.multiRegion && isLogging(t) && SELECTOR_MEANING[t.selectors].managementAll);
    add(
      'trail-multi-region',
      a.id,
      root(a.id),
      qualifying ? 'PASS' : unknown ? 'ERROR' : 'FAIL',
      qualifying ? `${qualifying.name} is multi-region, logging, selectors ${qualifying.selectors}` : `no readable applying trail qualifies (${describe(known)})${unknownWhy}`,
      qualifying ? 'covered' : unknown ? undefined : applying.length === 0 ? 'noTrail' : 'notCovered',
    );

    // org-trail-coverage: a multi-region logging organization trail, or an own one.
    const covering = known.find((t) => t.multiRegion && isLogging(t));
    add(
      'org-trail-coverage',
      a.id,
      root(a.id),
      covering ? 'PASS' : unknown ? 'ERROR' : 'FAIL',
      covering ? `covered by ${covering.name}` : `no readable multi-region logging trail (${describe(known)})${unknownWhy}`,
      covering ? (known.some((t) => t.organization && t.multiRegion && isLogging(t)) ? 'byOrgTrail' : 'byOwnTrail') : unknown ? undefined : 'uncovered',
    );

    // monitor-*: a multi-region, logging trail feeding CloudWatch Logs, whose log group's filters,
    // alarms and topic (generate-monitoring.ts) catch the events and reach a confirmed subscriber.
    const watching = known.filter((t) => t.multiRegion && isLogging(t) && t.cloudWatch !== 'none');
    const watchUnknown = applying.find((t) => t.regionDenied && t.multiRegion && t.cloudWatch !== 'none');
    for (const checkId of MONITOR_CHECKS) {
      const links = watching.map((t) => ({ t, link: monitorLink(monitoringVariant(t), checkId) }));
      const pass = links.find((l) => l.link === 'watched');
      const best = [...links].sort((x, y) => MONITOR_LINKS.indexOf(y.link) - MONITOR_LINKS.indexOf(x.link))[0];
      if (pass) add(checkId, a.id, root(a.id), 'PASS', `${pass.t.name}'s log group has CIS's filter, an alarm and a subscribed topic`, 'watched');
      else if (watchUnknown) add(checkId, a.id, root(a.id), 'ERROR', `${watchUnknown.name} is homed in an SCP-denied region: its status is unreadable`);
      else if (!best) add(checkId, a.id, root(a.id), 'FAIL', `no multi-region logging trail delivers to CloudWatch Logs (${describe(known)})`, 'noTrail');
      else add(checkId, a.id, root(a.id), 'FAIL', `${best.t.name}: monitoring ${monitoringVariant(best.t) ?? 'none'}`, best.link);
    }

    // Trail-level checks, in the owner account.
    for (const t of a.trails) {
      // trail-logging-continuity: the generator plants a window only for stopped trails; a lookup
      // that cannot run (an SCP-denied region) or a bucket or key that cannot be placed is an ERROR.
      {
        const bucketOwner = plan.accounts.find((x) => x.buckets.some((b) => b.name === t.bucket));
        const key = t.keyArn ? plan.accounts.flatMap((x) => x.keys).find((k) => k.arn === t.keyArn) : undefined;
        const keyOwner = key ? plan.accounts.find((x) => x.id === key.ownerId) : undefined;
        const why = t.regionDenied
          ? 'LookupEvents is denied in the home region by an SCP'
          : !bucketOwner?.active || !bucketOwner.readable
            ? 'its bucket cannot be read in a scanned account, so its region is unknown'
            : key?.regionDenied
              ? "LookupEvents is denied in its key's region"
              : keyOwner && (!keyOwner.active || !keyOwner.readable)
                ? "its key's owner is not read"
                : undefined;
        // A stopped trail has an open window (planted 12 days before asOf): FAIL, unless even its home region cannot be looked up.
        if (!t.regionDenied && t.logging === 'stopped') add('trail-logging-continuity', a.id, t.arn, 'FAIL', 'stopped 12 days before asOf: an open blind window', 'blindWindow');
        else add('trail-logging-continuity', a.id, t.arn, why ? 'ERROR' : 'PASS', why ?? 'no planted event: no blind window', why ? undefined : 'continuous');
      }
      if (t.regionDenied) {
        // Only what DescribeTrails (read in another region) tells can be decided.
        const denied = 'homed in an SCP-denied region: GetTrailStatus / GetInsightSelectors / DescribeKey answer AccessDenied';
        const ifKnown = (known: boolean, id: string): [TruthStatus, string | undefined] => (known ? ['FAIL', id] : ['ERROR', undefined]);
        add('trail-log-file-validation', a.id, t.arn, ...at(ifKnown(t.validation === 'off', 'disabled'), `validation ${t.validation}; ${denied}`));
        add('trail-logging-active', a.id, t.arn, 'ERROR', denied);
        add('trail-cloudwatch-logs', a.id, t.arn, ...at(ifKnown(t.cloudWatch === 'none', 'notIntegrated'), `CloudWatch Logs ${t.cloudWatch}; ${denied}`));
        add('trail-insights', a.id, t.arn, ...at(ifKnown(t.insights === 'none', 'missing'), `insights ${t.insights} (HasInsightSelectors tells none); ${denied}`));
        add('trail-kms-encryption', a.id, t.arn, ...at(ifKnown(t.kms === 'none', 'noKey'), `KMS ${t.kms}; ${denied}`));
        continue;
      }
      add('trail-log-file-validation', a.id, t.arn, t.validation === 'on' ? 'PASS' : 'FAIL', `validation ${t.validation}`, VALIDATION_ID[t.validation]);
      add('trail-logging-active', a.id, t.arn, t.logging === 'active' ? 'PASS' : 'FAIL', `logging ${t.logging}`, LOGGING_ID[t.logging]);
      add('trail-cloudwatch-logs', a.id, t.arn, t.cloudWatch === 'delivering' ? 'PASS' : 'FAIL', `CloudWatch Logs ${t.cloudWatch}`, CLOUDWATCH_ID[t.cloudWatch]);
      add('trail-insights', a.id, t.arn, t.insights === 'both' ? 'PASS' : 'FAIL', `insights ${t.insights}`, t.insights === 'both' ? 'enabled' : 'missing');
      add('trail-kms-encryption', a.id, t.arn, t.kms === 'good' ? 'PASS' : t.kms === 'outside' ? 'ERROR' : 'FAIL', `KMS ${t.kms}`, KMS_ID[t.kms]);
    }

    for (const k of a.keys) {
      if (k.regionDenied) {
        const why = 'key in an SCP-denied region: DescribeKey, GetKeyPolicy and GetKeyRotationStatus answer AccessDenied';
        add('trail-kms-key-rotation', a.id, k.arn, 'ERROR', why);
        add('trail-api-least-privilege', a.id, k.arn, 'ERROR', why);
      } else if (k.missing) {
        const why = 'the trail names a key that does not exist: DescribeKey and GetKeyPolicy answer NotFoundException';
        add('trail-kms-key-rotation', a.id, k.arn, 'ERROR', why);
        add('trail-api-least-privilege', a.id, k.arn, 'ERROR', why);
      }
      else if (k.awsManaged) add('trail-kms-key-rotation', a.id, k.arn, 'NOT_APPLICABLE', 'AWS-managed key', 'awsManaged');
      else if (!k.rotation) add('trail-kms-key-rotation', a.id, k.arn, 'FAIL', 'rotation off', 'notRotating');
      else if ((k.rotationPeriodDays ?? 365) > 365) add('trail-kms-key-rotation', a.id, k.arn, 'FAIL', `rotation every ${k.rotationPeriodDays} days (over 365)`, 'periodTooLong');
      else add('trail-kms-key-rotation', a.id, k.arn, 'PASS', `rotation every ${k.rotationPeriodDays ?? 365} days`, 'rotating');
    }

    for (const b of a.buckets) {
      const writers = writersOf(b.name);
      // A bucket only trails of unreadable accounts use is never collected.
      if (writers.length === 0) continue;
      const arn = `arn:${plan.partition}:s3:::${b.name}`;
      const ignoreAcls = b.blockPublicAccess === 'full' || a.accountBlockPublicAccess === 'full';
      const restrict = b.blockPublicAccess === 'full' || a.accountBlockPublicAccess === 'full';
      const aclPublic = b.aclGrantee !== undefined && b.ownership !== 'BucketOwnerEnforced' && !ignoreAcls;
      const statementPublic = (b.policy === 'public' || b.policy === 'public-any-ip' || b.policy === 'public-not-equals') && !restrict;
      const awsSaysPublic = b.policy === 'aws-says-public' && !restrict;
      const policyPublic = statementPublic || awsSaysPublic;
      const publicId = aclPublic
        ? statementPublic
          ? 'publicAclAndPolicy'
          : awsSaysPublic
            ? undefined // which of the two the message names is the check's choice
            : 'publicAcl'
        : statementPublic
          ? 'publicPolicy'
          : awsSaysPublic
            ? 'awsSaysPublic'
            : 'notPublic';
      add(
        'trail-bucket-not-public',
        a.id,
        arn,
        aclPublic || policyPublic ? 'FAIL' : 'PASS',
        `${b.policy === 'aws-says-public' ? 'S3 says the policy is public (our analysis does not): FAIL and say so; ' : ''}ACL grant ${b.aclGrantee ?? 'none'} (ownership ${b.ownership}), policy ${b.policy}, bucket BPA ${b.blockPublicAccess}, account BPA ${a.accountBlockPublicAccess}`,
        publicId,
      );
      add(
        'trail-bucket-object-lock',
        a.id,
        arn,
        b.objectLock === 'compliance-365' || b.objectLock === 'compliance-1y' ? 'PASS' : 'FAIL',
        `Object Lock ${b.objectLock}`,
        OBJECT_LOCK_ID[b.objectLock],
      );
      add('trail-bucket-access-logging', a.id, arn, b.accessLogging === 'other-bucket' ? 'PASS' : 'FAIL', `access logging ${b.accessLogging}`, ACCESS_LOGGING_ID[b.accessLogging]);
      add('trail-bucket-versioning-mfa-delete', a.id, arn, b.versioning === 'enabled-mfa' ? 'PASS' : 'FAIL', `versioning ${b.versioning}`, VERSIONING_ID[b.versioning]);
      const reached = b.lifecycle === 'aws-logs-early' && writers.some((t) => t.keyPrefix === undefined);
      add(
        'trail-bucket-retention',
        a.id,
        arn,
        b.lifecycle === 'expires-early' || b.lifecycle === 'noncurrent-early' || reached ? 'FAIL' : 'PASS',
        `lifecycle ${b.lifecycle}; log prefixes ${writers.map((t) => `${t.keyPrefix ? `${t.keyPrefix}/` : ''}AWSLogs/`).join(', ')}`,
        b.lifecycle === 'expires-early' || b.lifecycle === 'noncurrent-early' || reached ? 'deletesEarly' : 'retained',
      );
      // Data events: a multi-region, logging trail applying to the bucket's owner records all of them.
      for (const access of ['write', 'read'] as const) {
        const recorded = known.filter((t) => t.multiRegion && isLogging(t)).map((t) => dataCoverage(t, b.name, access));
        const status = recorded.includes('all') ? 'PASS' : unknown ? 'ERROR' : 'FAIL';
        // An eventName filter naming only writes records no reads; whether a check calls that
        // "narrowed" or "not recorded" depends on whether it classifies event names: not asserted.
        const eventNameOnly = access === 'read' && known.some((t) => t.multiRegion && isLogging(t) && t.selectors === 'advanced-put-only' && t.bucket === b.name);
        const dataId =
          status === 'PASS' ? 'recorded' : status === 'ERROR' || eventNameOnly ? undefined : recorded.includes('some') ? 'narrowed' : 'notRecorded';
        add(
          `trail-s3-data-events-${access}`,
          a.id,
          arn,
          status,
          `object-level ${access}s of ${b.name}: ${applying.map((t) => `${t.name} ${t.multiRegion ? 'multi' : 'single'}/${t.logging}/${dataCoverage(t, b.name, access)}`).join(', ')}`,
          dataId,
        );
      }
    }

    // trail-api-least-privilege: the root user and every administrator can change the buckets and
    // customer keys their account owns, and its trails unless the deny-tamper SCP stops them (it
    // exempts break-glass roles) — except trails and keys in a region an SCP denies them.
    const ownBuckets = a.buckets.filter((b) => writersOf(b.name).length > 0);
    const ownKeys = a.keys.filter((k) => !k.missing && !k.awsManaged && !k.regionDenied);
    const ownTrails = a.trails.filter((t) => !t.regionDenied);
    // The root user FAILs in a member account (no SCP denies it the tamper actions: rootNotDenied);
    // in the management account SCPs cannot restrict it and its credentials decide (the generated
    // roots have no access keys and MFA on: no FAIL).
    // The deny-tamper SCP names trail actions only: a Lake event data store stays changeable.
    const ownStores = (a.eventDataStores ?? []).filter((st) => !a.deniedRegions?.includes(st.region));
    const tamperers = [...(a.management ? [] : [root(a.id)]), ...a.admins].filter(
      (p) => ownBuckets.length > 0 || ownKeys.length > 0 || ownStores.length > 0 || (ownTrails.length > 0 && (!a.scpProtected || a.exempted.includes(p))),
    );
    for (const p of tamperers) {
      add(
        'trail-api-least-privilege',
        a.id,
        p,
        'FAIL',
        `can change what its account owns: ${ownTrails.length} trail(s)${a.scpProtected ? ' (SCP-protected, exempted)' : ''}, ${ownBuckets.length} bucket(s), ${ownKeys.length} customer key(s), ${ownStores.length} event data store(s)`,
        p === root(a.id) ? 'rootNotDenied' : 'canTamper',
      );
    }
    if (tamperers.length === 0) {
      add(
        'trail-api-least-privilege',
        a.id,
        root(a.id),
        'PASS',
        a.trails.length > 0
          ? 'owns only trails, and the deny-tamper SCP covers every non-exempted principal'
          : 'owns no trail, bucket or key; the organization trail is changed only from its owner',
        'noTamper',
      );
    }
    // A bucket or key outside the scan: who can tamper with it is unknown.
    for (const t of a.trails) {
      const outsideBucket = plan.accounts.find((x) => !x.active && x.buckets.some((b) => b.name === t.bucket));
      if (outsideBucket) add('trail-api-least-privilege', a.id, `arn:${plan.partition}:s3:::${t.bucket}`, 'ERROR', `bucket owned by ${outsideBucket.id}, which is not scanned`);
      if (t.kms === 'outside' && t.keyArn) add('trail-api-least-privilege', t.keyArn.split(':')[4]!, t.keyArn, 'ERROR', 'key owned by an account that is not scanned');
    }

    // org-scp-trail-protection.
    if (a.management) add('org-scp-trail-protection', a.id, root(a.id), 'NOT_APPLICABLE', 'SCPs never restrict the management account', 'managementAccount');
    else if (a.trails.length > 0 && a.trails.every((t) => t.regionDenied))
      add('org-scp-trail-protection', a.id, root(a.id), 'PASS', 'every trail it owns is in a region an SCP denies to all its principals', 'protected');
    else if (!a.scpProtected) add('org-scp-trail-protection', a.id, root(a.id), 'FAIL', 'only StopLogging and DeleteTrail are denied on its path');
    else if (a.exempted.length > MAX_EXEMPTED)
      add('org-scp-trail-protection', a.id, root(a.id), 'FAIL', `${a.exempted.length} principals exempted (more than ${MAX_EXEMPTED})`, 'tooManyExempted');
    else add('org-scp-trail-protection', a.id, root(a.id), 'PASS', `deny-tamper SCP with ${a.exempted.length} exempted principal(s)`, 'protected');
  }

  const sorted = [...entries.values()].sort((x, y) => cmp(x.checkId, y.checkId) || cmp(x.accountId, y.accountId) || cmp(x.resource, y.resource));
  return { version: 1, seed: plan.seed, asOf: plan.asOf, checks: [...TRUTH_CHECKS], entries: sorted };
}

// Message ids per intent, from each check's README.
const VALIDATION_ID: Record<TrailPlan['validation'], string> = { on: 'enabled', off: 'disabled', 'digest-error': 'digestFailing' };
const LOGGING_ID: Record<TrailPlan['logging'], string> = {
  active: 'active',
  stopped: 'stopped',
  'delivery-error': 'deliveryError',
  stale: 'stale',
  'never-delivered': 'neverDelivered',
};
/** The links of a monitoring chain, worst first (checks/monitoring reports the furthest one reached). */
const MONITOR_LINKS = ['noTrail', 'noFilter', 'noSubscriber', 'watched'] as const;

function monitorLink(variant: MonitoringVariant | undefined, checkId: string): (typeof MONITOR_LINKS)[number] {
  if (!variant) return 'noFilter';
  if (variant === 'unconfirmed-topic') return 'noSubscriber';
  if (variant === 'trail-near-miss' && checkId === 'monitor-cloudtrail-changes') return 'noFilter';
  return 'watched';
}

const CLOUDWATCH_ID: Record<TrailPlan['cloudWatch'], string> = {
  none: 'notIntegrated',
  delivering: 'delivering',
  error: 'deliveryError',
  stale: 'stale',
  'never-delivered': 'neverDelivered',
};
const KMS_ID: Record<KmsIntent, string | undefined> = {
  none: 'noKey',
  good: 'encrypted',
  'no-cloudtrail-policy': 'policyDenies',
  'deny-cloudtrail': 'policyDenies',
  disabled: 'keyUnusable',
  'pending-deletion': 'keyUnusable',
  'aws-managed': 'awsManaged',
  missing: 'keyMissing',
  outside: undefined,
};
const OBJECT_LOCK_ID: Record<BucketPlan['objectLock'], string> = {
  none: 'notEnabled',
  'enabled-no-retention': 'noDefaultRetention',
  'compliance-365': 'locked',
  'compliance-1y': 'locked',
  'governance-365': 'governanceMode',
  'compliance-short': 'retentionTooShort',
  'governance-short': 'governanceAndTooShort',
};
const ACCESS_LOGGING_ID: Record<BucketPlan['accessLogging'], string> = { none: 'notEnabled', 'other-bucket': 'enabled', itself: 'logsToItself' };
// MFA delete is only ever on together with versioning here, so "suspended" and "never" lack both.
const VERSIONING_ID: Record<BucketPlan['versioning'], string> = { never: 'bothOff', suspended: 'bothOff', enabled: 'mfaDeleteOff', 'enabled-mfa': 'protected' };

/** Spread helper: `[status, messageId]` and a reason into add()'s argument order. */
function at([status, messageId]: [TruthStatus, string | undefined], why: string): [TruthStatus, string, string | undefined] {
  return [status, why, messageId];
}

function dataCoverage(t: TrailPlan, bucket: string, access: 'write' | 'read'): 'all' | 'some' | 'none' {
  if (t.dataFor) return t.dataFor.bucket === bucket ? t.dataFor[access] : 'none';
  // An account trail's data selectors name its own bucket (or every bucket).
  if (t.bucket !== bucket && t.selectors !== 'advanced-mgmt-write-data') return 'none';
  return SELECTOR_MEANING[t.selectors][access];
}

function describe(trails: TrailPlan[]): string {
  if (trails.length === 0) return 'none';
  return trails.map((t) => `${t.name}: ${t.multiRegion ? 'multi-region' : 'single-region'}, ${t.logging}, ${t.selectors}`).join('; ');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
