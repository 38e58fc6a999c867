import {
  type AccessPoint,
  type BucketView,
  type Evidence,
  type JsonValue,
  type Known,
  type KnownError,
  TRAILWARDEN_ERROR_CODES,
  createCheck,
  describeTrails,
} from '@trailwarden/core';
import { type Exposure, type WayIn, assessExposure } from './exposure.js';

export { analyseBucketPolicy, isFixedValue, isUniversalCidr, PINNING_KEYS, type PolicyAnalysis } from './policy.js';
export { publicAclGrants, type PublicGrant } from './acl.js';
export { assessExposure, type Exposure, type ExposureInputs, type WayIn } from './exposure.js';

const fixCommand = (bucket: string): string =>
  `aws s3api put-public-access-block --bucket ${bucket} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`;

/**
 * The bucket that holds CloudTrail logs must not be readable or writable by the public: whoever can
 * read the logs learns the organization's whole activity; whoever can write can plant or bury
 * events. Decided by our own reading of the ACL and the bucket policy; Block Public Access and S3's
 * IsPublic are taken into account as described in README.md.
 */
export default createCheck({
  id: 'trail-bucket-not-public',
  meta: {
    title: 'The CloudTrail log bucket is not public',
    description:
      'The S3 bucket a trail delivers to must not be public, neither by ACL (grants to AllUsers or AuthenticatedUsers) nor by bucket policy (an Allow to "*" not pinned by a fixed account, organization, source, VPC or IP condition), unless Block Public Access or Object Ownership neutralises it. A public log bucket exposes every API call of the organization, or lets anyone tamper with the record.',
    severity: 'critical',
    resource: 'AWS::S3::Bucket',
    remediation: {
      text: 'Turn on all four Block Public Access settings for the bucket (or the account), disable ACLs with Object Ownership "BucketOwnerEnforced", remove grants to AllUsers/AuthenticatedUsers, and remove or pin (aws:PrincipalOrgID, aws:SourceArn, ...) every bucket policy statement that allows "*".',
      cli: `${fixCommand('<bucket>')}\naws s3api put-bucket-ownership-controls --bucket <bucket> --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'`,
      terraform:
        'resource "aws_s3_bucket_public_access_block" "trail_logs" {\n  bucket                  = aws_s3_bucket.trail_logs.id\n  block_public_acls       = true\n  ignore_public_acls      = true\n  block_public_policy     = true\n  restrict_public_buckets = true\n}\n\nresource "aws_s3_bucket_ownership_controls" "trail_logs" {\n  bucket = aws_s3_bucket.trail_logs.id\n  rule {\n    object_ownership = "BucketOwnerEnforced"\n  }\n}',
    },
    docs: 'README.md',
    messages: {
      notPublic: 'Bucket {{bucket}} (CloudTrail logs of {{trails}}) is not public: {{summary}}.',
      publicAcl: 'Bucket {{bucket}} (CloudTrail logs of {{trails}}) is public: {{reasons}}. Fix: {{fix}}',
      publicPolicy: 'Bucket {{bucket}} (CloudTrail logs of {{trails}}) is public: {{reasons}}. Fix: {{fix}}',
      publicAclAndPolicy: 'Bucket {{bucket}} (CloudTrail logs of {{trails}}) is public by ACL and by policy: {{reasons}}. Fix: {{fix}}',
      awsSaysPublic:
        'Bucket {{bucket}} (CloudTrail logs of {{trails}}) is public according to AWS, although our own analysis of its policy found no public statement: {{reasons}}. Fix: {{fix}}',
      publicAccessPoint:
        'Bucket {{bucket}} (CloudTrail logs of {{trails}}) is public through its access points {{accessPoints}}: {{reasons}}. Fix: remove or pin the access point policy, or {{fix}}',
      undecided: 'Cannot decide whether bucket {{bucket}} is public: {{why}}.',
    },
  },
  requires: ['buckets', 's3AccountPublicAccessBlock'],
  evaluate(ctx) {
    ctx.forEachBucket((view) => {
      const { bucket, resource } = view;
      // forEachBucket hands out only buckets some scanned account owns.
      const owner = ctx.account(resource.accountId);
      if (!owner) throw new Error(`bucket ${bucket.name}: its owner account ${resource.accountId} is not in the scan model`);
      const accountBlock = owner.get('s3AccountPublicAccessBlock');
      const accessPoints = collected(view.get('accessPoints'));
      const exposure = assessExposure({
        acl: view.get('acl'),
        policy: view.get('policy'),
        policyStatus: collected(view.get('policyStatus')),
        ownership: view.get('ownershipControls'),
        bucketBlock: view.get('publicAccessBlock'),
        accountBlock,
        accessPoints,
      });
      const evidence = buildEvidence(view, exposure, accountBlock, accessPoints);
      const data = { bucket: bucket.name, trails: describeTrails(view.trails), fix: fixCommand(bucket.name) };

      if (exposure.verdict === 'unknown') {
        const why = [...unknownsOf(exposure.acl), ...unknownsOf(exposure.policy), ...unknownsOf(exposure.accessPoints)];
        ctx.report({ status: 'ERROR', resource, messageId: 'undecided', data: { bucket: bucket.name, why: why.join('; ') }, evidence });
        return;
      }
      if (exposure.verdict === 'not-public') {
        const summary = [summarise('ACL', exposure.acl), summarise('policy', exposure.policy), summariseAccessPoints(exposure.accessPoints, accessPoints)];
        ctx.report({ status: 'PASS', resource, messageId: 'notPublic', data: { ...data, summary: summary.join('; ') }, evidence });
        return;
      }
      const reasons = [...reasonsOf(exposure.acl), ...reasonsOf(exposure.policy), ...reasonsOf(exposure.accessPoints)].join('; ');
      const byAcl = exposure.acl.state === 'public';
      const byPolicy = exposure.policy.state === 'public';
      const messageId =
        byAcl && byPolicy ? 'publicAclAndPolicy' : byAcl ? 'publicAcl' : byPolicy ? (exposure.awsDisagrees ? 'awsSaysPublic' : 'publicPolicy') : 'publicAccessPoint';
      ctx.report({ status: 'FAIL', resource, messageId, data: { ...data, reasons, accessPoints: exposure.publicAccessPoints.join(', ') }, evidence });
    });
  },
});

/**
 * `undefined` when the snapshot does not hold the setting (NotCollected): S3's IsPublic is then
 * only missing evidence, and access points absent from a snapshot older than their collection are
 * not judged (see README.md).
 */
function collected<T>(k: Known<T>): Known<T> | undefined {
  return k.error?.code === TRAILWARDEN_ERROR_CODES.NotCollected ? undefined : k;
}

function reasonsOf(way: WayIn): string[] {
  return way.state === 'public' ? way.reasons : [];
}

function unknownsOf(way: WayIn): string[] {
  return way.state === 'unknown' ? way.why : [];
}

function summarise(what: 'ACL' | 'policy', way: WayIn): string {
  const subject = what === 'ACL' ? 'no public ACL grant' : 'no public bucket policy statement';
  if (way.state !== 'neutralised') return subject;
  const by = way.by.join(' and ');
  return way.wouldBe.length > 0
    ? `${way.wouldBe.join('; ')}, but ${by} neutralises it`
    : `the ${what} could not be read or analysed, but ${by} neutralises it`;
}

function summariseAccessPoints(way: WayIn, listed: Known<AccessPoint[]> | undefined): string {
  if (listed === undefined) return 'access points not collected';
  if (way.state === 'neutralised') {
    return way.wouldBe.length > 0 ? `${way.wouldBe.join('; ')}, but ${way.by.join(' and ')} neutralises it` : `access points could not be read, but ${way.by.join(' and ')} neutralises them`;
  }
  const n = listed.value?.length ?? 0;
  return n === 0 ? 'no access point' : `no public access point (${n} checked)`;
}

function known(k: Known<unknown> | undefined): JsonValue {
  if (k === undefined || k.error?.code === TRAILWARDEN_ERROR_CODES.NotCollected) return 'not collected';
  if (k.error) return { error: `${k.error.operation}: ${k.error.code}` };
  return (k.value ?? null) as JsonValue;
}

function buildEvidence(view: BucketView, e: Exposure, accountBlock: Known<unknown>, points: Known<AccessPoint[]> | undefined): Evidence {
  const errors: KnownError[] = [
    ...(e.acl.state === 'unknown' ? e.acl.errors : []),
    ...(e.policy.state === 'unknown' ? e.policy.errors : []),
    ...(e.accessPoints.state === 'unknown' ? e.accessPoints.errors : []),
  ];
  const ev: Evidence = {
    trails: view.trails.map((t) => t.trail.arn).sort(),
    acl: e.acl.state,
    policy: e.policy.state,
    publicAclGrants: e.publicGrants === null ? 'unknown' : e.publicGrants.map((g) => ({ group: g.group, permission: g.permission })),
    objectOwnership: known(view.get('ownershipControls')),
    bucketPublicAccessBlock: known(view.get('publicAccessBlock')),
    accountPublicAccessBlock: known(accountBlock),
    awsPolicyStatus: known(view.get('policyStatus')),
    accessPoints:
      points === undefined
        ? 'not collected'
        : points.error
          ? known(points)
          : points.value.map((ap) => ({
              name: ap.name,
              arn: ap.arn ?? null,
              networkOrigin: ap.networkOrigin ?? null,
              awsPolicyStatus: known(ap.policyStatus),
              ...(ap.publicAccessBlock ? { publicAccessBlock: known(ap.publicAccessBlock) } : {}),
              ...(ap.policy ? { policy: known(ap.policy) } : {}),
            })),
    accessPointsState: e.accessPoints.state,
  };
  if (e.acl.state === 'neutralised') ev.aclNeutralisedBy = e.acl.by;
  if (e.policy.state === 'neutralised') ev.policyNeutralisedBy = e.policy.by;
  if (e.accessPoints.state === 'neutralised') ev.accessPointsNeutralisedBy = e.accessPoints.by;
  if (e.publicAccessPoints.length > 0) ev.publicAccessPoints = e.publicAccessPoints;
  if (e.policyAnalysis?.ok) {
    ev.publicPolicyStatements = e.policyAnalysis.publicStatements.map((s) => ({
      index: s.index,
      sid: s.sid ?? null,
      principal: s.principal,
      actions: s.actions,
    }));
    ev.pinnedPolicyStatements = e.policyAnalysis.pinnedStatements.map((s) => ({ index: s.index, sid: s.sid ?? null, pinnedBy: s.pinnedBy }));
  } else if (e.policyAnalysis) {
    ev.policyMalformed = e.policyAnalysis.reason;
  }
  if (e.awsDisagrees) ev.awsDisagrees = true;
  if (errors.length > 0) ev.errors = errors.map((x) => ({ ...x }) as JsonValue);
  return ev;
}
