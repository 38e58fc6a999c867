import {
  type AccessPoint,
  type BucketAcl,
  type Known,
  type KnownError,
  type PolicyDocument,
  type PublicAccessBlock,
  describeKnownError,
} from '@trailwarden/core';
import { type PublicGrant, describeGrant, publicAclGrants } from './acl.js';
import { type PolicyAnalysis, analyseBucketPolicy } from './policy.js';

/**
 * Is the bucket public? Two independent ways in, each judged in three values (public, not public,
 * unknown):
 * - by ACL: a public grant, unless ACLs are disabled (Object Ownership BucketOwnerEnforced) or
 *   ignored (IgnorePublicAcls at bucket or account level). BlockPublicAcls only stops new grants.
 * - by policy: a public statement (our analysis) or S3's own IsPublic, unless RestrictPublicBuckets
 *   (bucket or account) limits access to the owner account and AWS services. BlockPublicPolicy only
 *   stops new policies.
 * A neutraliser that is known to be on settles a way in even when the rest is unknown; a public way
 * in settles the bucket even when the other way is unknown.
 */
export interface ExposureInputs {
  acl: Known<BucketAcl>;
  policy: Known<PolicyDocument | null>;
  /** Evidence only; `undefined` when not collected. */
  policyStatus: Known<{ isPublic: boolean } | null> | undefined;
  ownership: Known<string | null>;
  bucketBlock: Known<PublicAccessBlock | null>;
  accountBlock: Known<PublicAccessBlock | null>;
  /** The bucket's access points; `undefined` when not collected (a snapshot older than their collection). */
  accessPoints?: Known<AccessPoint[]> | undefined;
}

export type WayIn =
  | { state: 'public'; reasons: string[] }
  | { state: 'neutralised'; by: string[]; wouldBe: string[] }
  | { state: 'closed' }
  | { state: 'unknown'; why: string[]; errors: KnownError[] };

export interface Exposure {
  verdict: 'public' | 'not-public' | 'unknown';
  acl: WayIn;
  policy: WayIn;
  publicGrants: PublicGrant[] | null;
  policyAnalysis: PolicyAnalysis | null;
  /** S3's IsPublic and our policy analysis disagree (either way). */
  awsDisagrees: boolean;
  /** A public access point policy (S3's own GetAccessPointPolicyStatus), after the neutralisers. */
  accessPoints: WayIn;
  /** Names of the access points judged public (for the message and the evidence). */
  publicAccessPoints: string[];
}

const blockSetting = (k: Known<PublicAccessBlock | null>, setting: keyof PublicAccessBlock): boolean | KnownError =>
  k.error ? k.error : k.value?.[setting] === true;

interface Neutralisers {
  on: string[];
  unknown: { why: string; error: KnownError }[];
}

function neutralisers(candidates: [string, boolean | KnownError][]): Neutralisers {
  const on: string[] = [];
  const unknown: Neutralisers['unknown'] = [];
  for (const [name, v] of candidates) {
    if (v === true) on.push(name);
    else if (v !== false) unknown.push({ why: `${name} is unknown (${describeKnownError(v)})`, error: v });
  }
  return { on, unknown };
}

/** Given that something would be public, apply the neutralisers. */
function settle(reasons: string[], n: Neutralisers): WayIn {
  if (reasons.length === 0) return { state: 'closed' };
  if (n.on.length > 0) return { state: 'neutralised', by: n.on, wouldBe: reasons };
  if (n.unknown.length > 0) {
    return {
      state: 'unknown',
      why: n.unknown.map((u) => `${reasons.join('; ')}, and whether that is neutralised is unknown: ${u.why}`),
      errors: n.unknown.map((u) => u.error),
    };
  }
  return { state: 'public', reasons };
}

export function assessExposure(inp: ExposureInputs): Exposure {
  // By ACL.
  const aclNeutralisers = neutralisers([
    [
      'Object Ownership BucketOwnerEnforced (ACLs disabled)',
      inp.ownership.error ? inp.ownership.error : inp.ownership.value === 'BucketOwnerEnforced',
    ],
    ['bucket Block Public Access IgnorePublicAcls', blockSetting(inp.bucketBlock, 'ignorePublicAcls')],
    ['account Block Public Access IgnorePublicAcls', blockSetting(inp.accountBlock, 'ignorePublicAcls')],
  ]);
  let publicGrants: PublicGrant[] | null = null;
  let acl: WayIn;
  if (inp.acl.error) {
    acl =
      aclNeutralisers.on.length > 0
        ? { state: 'neutralised', by: aclNeutralisers.on, wouldBe: [] }
        : { state: 'unknown', why: [`the ACL is unknown (${describeKnownError(inp.acl.error)})`], errors: [inp.acl.error] };
  } else {
    publicGrants = publicAclGrants(inp.acl.value);
    acl = settle(publicGrants.map((g) => `its ACL grants ${describeGrant(g)}`), aclNeutralisers);
  }

  // By policy.
  const policyNeutralisers = neutralisers([
    ['bucket Block Public Access RestrictPublicBuckets', blockSetting(inp.bucketBlock, 'restrictPublicBuckets')],
    ['account Block Public Access RestrictPublicBuckets', blockSetting(inp.accountBlock, 'restrictPublicBuckets')],
  ]);
  const awsSaysPublic = inp.policyStatus?.value?.isPublic === true;
  const awsReason = 'S3 reports its bucket policy as public (GetBucketPolicyStatus IsPublic), although our analysis of the policy found no public statement — review the policy';
  let policyAnalysis: PolicyAnalysis | null = null;
  let policy: WayIn;
  let awsDisagrees = false;
  if (inp.policy.error) {
    policy = awsSaysPublic
      ? settle(['S3 reports its bucket policy as public (GetBucketPolicyStatus IsPublic)'], policyNeutralisers)
      : policyNeutralisers.on.length > 0
        ? { state: 'neutralised', by: policyNeutralisers.on, wouldBe: [] }
        : { state: 'unknown', why: [`the bucket policy is unknown (${describeKnownError(inp.policy.error)})`], errors: [inp.policy.error] };
  } else {
    policyAnalysis = inp.policy.value === null ? { ok: true, publicStatements: [], pinnedStatements: [] } : analyseBucketPolicy(inp.policy.value);
    if (!policyAnalysis.ok) {
      const reason = policyAnalysis.reason;
      policy = awsSaysPublic
        ? settle([`S3 reports its bucket policy as public (GetBucketPolicyStatus IsPublic), and ${reason}`], policyNeutralisers)
        : policyNeutralisers.on.length > 0
          ? { state: 'neutralised', by: policyNeutralisers.on, wouldBe: [] }
          : { state: 'unknown', why: [`${reason}, so it cannot be analysed`], errors: [] };
    } else {
      const reasons = policyAnalysis.publicStatements.map((s) => `its bucket policy ${s.why}`);
      if (reasons.length === 0 && awsSaysPublic) {
        awsDisagrees = true;
        reasons.push(awsReason);
      }
      policy = settle(reasons, policyNeutralisers);
      // Our analysis says public, S3's own judgement says not: a condition key we do not know may
      // pin it. Neither view wins; both are reported.
      if (policy.state === 'public' && !awsDisagrees && inp.policyStatus?.value?.isPublic === false) {
        awsDisagrees = true;
        policy = {
          state: 'unknown',
          why: [`${reasons.join('; ')} — but S3's own GetBucketPolicyStatus says IsPublic false; review the policy's conditions`],
          errors: [],
        };
      }
    }
  }

  const points = assessAccessPoints(inp);
  const states = [acl.state, policy.state, points.way.state];
  const verdict = states.includes('public') ? 'public' : states.includes('unknown') ? 'unknown' : 'not-public';
  return { verdict, acl, policy, publicGrants, policyAnalysis, awsDisagrees, accessPoints: points.way, publicAccessPoints: points.publicNames };
}

/**
 * By access point: S3's own IsPublic for each access point policy. For a request through an access
 * point S3 applies the Block Public Access of the access point, the bucket and the account, so
 * RestrictPublicBuckets at any of the three neutralises it; so does a VPC network origin (S3 refuses
 * every request from outside that VPC). An unreadable list or status is unknown, never closed.
 */
function assessAccessPoints(inp: ExposureInputs): { way: WayIn; publicNames: string[] } {
  const listed = inp.accessPoints;
  if (listed === undefined) return { way: { state: 'closed' }, publicNames: [] };
  const shared: [string, boolean | KnownError][] = [
    ['bucket Block Public Access RestrictPublicBuckets', blockSetting(inp.bucketBlock, 'restrictPublicBuckets')],
    ['account Block Public Access RestrictPublicBuckets', blockSetting(inp.accountBlock, 'restrictPublicBuckets')],
  ];
  if (listed.error) {
    const n = neutralisers(shared);
    return {
      way:
        n.on.length > 0
          ? { state: 'neutralised', by: n.on, wouldBe: [] }
          : { state: 'unknown', why: [`its access points are unknown (${describeKnownError(listed.error)})`], errors: [listed.error] },
      publicNames: [],
    };
  }
  const ways = listed.value.map((ap): { ap: AccessPoint; way: WayIn } => {
    const label = `access point ${ap.name}${ap.arn ? ` (${ap.arn})` : ''}`;
    if (ap.policyStatus.error) {
      const n = neutralisers([[`${ap.name}: network origin VPC`, ap.networkOrigin === 'VPC'], ...shared]);
      return {
        ap,
        way:
          n.on.length > 0
            ? { state: 'neutralised', by: n.on, wouldBe: [] }
            : { state: 'unknown', why: [`the policy status of its ${label} is unknown (${describeKnownError(ap.policyStatus.error)})`], errors: [ap.policyStatus.error] },
      };
    }
    if (ap.policyStatus.value?.isPublic !== true) return { ap, way: { state: 'closed' } };
    const own: boolean | KnownError =
      ap.publicAccessBlock === undefined
        ? { code: 'NotCollected', message: 'GetAccessPoint was not read', operation: 'GetAccessPoint' }
        : ap.publicAccessBlock.error
          ? ap.publicAccessBlock.error
          : ap.publicAccessBlock.value?.restrictPublicBuckets === true;
    const n = neutralisers([[`${ap.name}: network origin VPC`, ap.networkOrigin === 'VPC'], [`${ap.name}: access point Block Public Access RestrictPublicBuckets`, own], ...shared]);
    return { ap, way: settle([`its ${label} has a policy S3 reports as public (GetAccessPointPolicyStatus IsPublic)`], n) };
  });
  const pub = ways.filter((w) => w.way.state === 'public');
  if (pub.length > 0) return { way: { state: 'public', reasons: pub.flatMap((w) => reasonsOf(w.way)) }, publicNames: pub.map((w) => w.ap.name) };
  const unknown = ways.filter((w) => w.way.state === 'unknown');
  if (unknown.length > 0) {
    return {
      way: { state: 'unknown', why: unknown.flatMap((w) => (w.way.state === 'unknown' ? w.way.why : [])), errors: unknown.flatMap((w) => (w.way.state === 'unknown' ? w.way.errors : [])) },
      publicNames: [],
    };
  }
  const neutralised = ways.flatMap((w) => (w.way.state === 'neutralised' ? [w.way] : []));
  if (neutralised.length > 0) {
    return { way: { state: 'neutralised', by: [...new Set(neutralised.flatMap((w) => w.by))], wouldBe: neutralised.flatMap((w) => w.wouldBe) }, publicNames: [] };
  }
  return { way: { state: 'closed' }, publicNames: [] };
}

const reasonsOf = (way: WayIn): string[] => (way.state === 'public' ? way.reasons : []);
