/** S3 (REST-XML, path-style) bucket configuration reads, and S3 Control's account public access block. */
import { createHash } from 'node:crypto';
import { policyIsPublic } from '../policy.js';
import { type Reply, S3_NS, xmlReply } from '../protocol/reply.js';
import { SimError } from '../protocol/services.js';
import { el, escapeXml, wrap } from '../protocol/xml.js';
import { OPT_IN_REGIONS } from '../world/regions.js';
import type { WorldAccessPoint, WorldAclGrantee, WorldPublicAccessBlock } from '../world/types.js';
import type { BucketModel } from '../world/model.js';
import type { CallContext, Handler } from './context.js';

const NS = `xmlns="${S3_NS}"`;

/** A stable 64-hex canonical user id per account. */
export function canonicalId(accountId: string): string {
  return createHash('sha256').update(`canonical|${accountId}`).digest('hex');
}

function bucketOf(ctx: CallContext): BucketModel {
  const name = decodeURIComponent(ctx.req.path.split('/').filter(Boolean)[0] ?? '');
  const bucket = ctx.model.buckets.get(name);
  if (!bucket) throw new SimError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: name });
  // GetBucketLocation is how a client finds the region, so it answers from any region.
  if (ctx.operation !== 'GetBucketLocation') refuseWrongRegion(ctx, bucket);
  // Bucket configuration is readable only from the owner's account (S3 API reference of each Get*).
  if (bucket.ownerId !== ctx.account.id) throw new SimError('AccessDenied', 'Access Denied', 403);
  return bucket;
}

/**
 * A bucket request sent to another region's endpoint (signed for that region): `301
 * PermanentRedirect`, or `400 IllegalLocationConstraintException` where the bucket's region or the
 * endpoint's launched after 20 March 2019 (the opt-in regions); either way with the bucket's region
 * in `x-amz-bucket-region` (S3's "Request redirection and the REST API").
 */
function refuseWrongRegion(ctx: CallContext, bucket: BucketModel): void {
  const actual = bucketRegion(bucket);
  if (ctx.region === actual) return;
  const headers = { 'x-amz-bucket-region': actual };
  if (OPT_IN_REGIONS.has(actual) || OPT_IN_REGIONS.has(ctx.region)) {
    throw new SimError('IllegalLocationConstraintException', `The ${actual} location constraint is incompatible for the region specific endpoint this request was sent to.`, 400, {}, headers);
  }
  throw new SimError(
    'PermanentRedirect',
    'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
    301,
    { Bucket: bucket.name, Endpoint: `${bucket.name}.s3.${actual}.amazonaws.com` },
    headers,
  );
}

const notConfigured = (code: string, message: string, bucket: string) => new SimError(code, message, 404, { BucketName: bucket });

const listBuckets: Handler = (ctx) => {
  const owner = ctx.account;
  let mine = owner.buckets.slice().sort((a, b) => (a.name < b.name ? -1 : 1));
  const prefix = ctx.form.get('prefix');
  if (prefix) mine = mine.filter((b) => b.name.startsWith(prefix));
  const regionFilter = ctx.form.get('bucket-region');
  if (regionFilter) mine = mine.filter((b) => bucketRegion(b) === regionFilter);
  const token = ctx.form.get('continuation-token');
  if (token) mine = mine.filter((b) => b.name > Buffer.from(token, 'base64').toString());
  // Without max-buckets S3 answers the legacy listing: every bucket, unpaged, and no BucketRegion.
  const paged = ctx.form.has('max-buckets');
  const max = Number(ctx.form.get('max-buckets') ?? '10000');
  const page = paged ? mine.slice(0, max > 0 ? max : 10000) : mine;
  const next = page.length < mine.length ? Buffer.from(page[page.length - 1]!.name).toString('base64') : undefined;
  const buckets = page
    .map((b) => wrap('Bucket', el('Name', b.name) + el('CreationDate', b.creationDate ?? '2020-01-01T00:00:00.000Z') + el('BucketRegion', paged ? bucketRegion(b) : undefined)))
    .join('');
  const xml = wrap(
    'ListAllMyBucketsResult',
    wrap('Owner', el('ID', canonicalId(owner.id)) + el('DisplayName', owner.name)) + wrap('Buckets', buckets) + el('ContinuationToken', next) + el('Prefix', prefix ?? undefined),
    NS,
  );
  return xmlReply(xml, ctx.requestId);
};

const bucketRegion = (b: BucketModel) => (b.region === 'EU' ? 'eu-west-1' : b.region);

/** us-east-1 answers an empty LocationConstraint; legacy Ireland buckets answer `EU` (S3 API reference). */
const getBucketLocation: Handler = (ctx) => {
  const b = bucketOf(ctx);
  const body = b.region === 'us-east-1' ? `<LocationConstraint ${NS}/>` : `<LocationConstraint ${NS}>${escapeXml(b.region)}</LocationConstraint>`;
  return xmlReply(body, ctx.requestId);
};

const policyText = (b: BucketModel): string | undefined =>
  b.policy === undefined || b.policy === null ? undefined : typeof b.policy === 'string' ? b.policy : JSON.stringify(b.policy);

const getBucketPolicy: Handler = (ctx) => {
  const b = bucketOf(ctx);
  const text = policyText(b);
  if (text === undefined) throw notConfigured('NoSuchBucketPolicy', 'The bucket policy does not exist', b.name);
  return { status: 200, headers: { 'content-type': 'application/json', 'x-amz-request-id': ctx.requestId }, body: text };
};

const getBucketPolicyStatus: Handler = (ctx) => {
  const b = bucketOf(ctx);
  const text = policyText(b);
  if (text === undefined) throw notConfigured('NoSuchBucketPolicy', 'The bucket policy does not exist', b.name);
  const isPublic = b.policyStatus?.isPublic ?? policyIsPublic(text);
  return xmlReply(wrap('PolicyStatus', el('IsPublic', isPublic), NS), ctx.requestId);
};

const GROUP_URIS: Record<string, string> = {
  AllUsers: 'http://acs.amazonaws.com/groups/global/AllUsers',
  AuthenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  LogDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
};

function granteeXml(g: WorldAclGrantee, ctx: CallContext, ownerId: string): string {
  const xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
  if (g === 'owner') {
    const owner = ctx.model.accounts.get(ownerId)!;
    return wrap('Grantee', el('ID', canonicalId(ownerId)) + el('DisplayName', owner.name), `${xsi} xsi:type="CanonicalUser"`);
  }
  if (typeof g === 'string') return wrap('Grantee', el('URI', GROUP_URIS[g]), `${xsi} xsi:type="Group"`);
  if ('email' in g) return wrap('Grantee', el('EmailAddress', g.email), `${xsi} xsi:type="AmazonCustomerByEmail"`);
  return wrap('Grantee', el('ID', g.canonicalId) + el('DisplayName', g.displayName), `${xsi} xsi:type="CanonicalUser"`);
}

const getBucketAcl: Handler = (ctx) => {
  const b = bucketOf(ctx);
  const owner = ctx.model.accounts.get(b.ownerId)!;
  const grants = b.acl?.grants ?? [{ grantee: 'owner' as const, permission: 'FULL_CONTROL' as const }];
  const xml = wrap(
    'AccessControlPolicy',
    wrap('Owner', el('ID', canonicalId(owner.id)) + el('DisplayName', owner.name)) +
      wrap('AccessControlList', grants.map((g) => wrap('Grant', granteeXml(g.grantee, ctx, b.ownerId) + el('Permission', g.permission))).join('')),
    NS,
  );
  return xmlReply(xml, ctx.requestId);
};

export function publicAccessBlockXml(p: WorldPublicAccessBlock, ns: string): string {
  return wrap(
    'PublicAccessBlockConfiguration',
    el('BlockPublicAcls', p.blockPublicAcls ?? false) +
      el('IgnorePublicAcls', p.ignorePublicAcls ?? false) +
      el('BlockPublicPolicy', p.blockPublicPolicy ?? false) +
      el('RestrictPublicBuckets', p.restrictPublicBuckets ?? false),
    ns,
  );
}

const ALL_BLOCKED: WorldPublicAccessBlock = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };

const getPublicAccessBlock: Handler = (ctx) => {
  const b = bucketOf(ctx);
  const pab = b.publicAccessBlock === undefined ? ALL_BLOCKED : b.publicAccessBlock;
  if (pab === null) throw notConfigured('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', b.name);
  return xmlReply(publicAccessBlockXml(pab, NS), ctx.requestId);
};

const getBucketOwnershipControls: Handler = (ctx) => {
  const b = bucketOf(ctx);
  const oc = b.ownershipControls === undefined ? 'BucketOwnerEnforced' : b.ownershipControls;
  if (oc === null) throw notConfigured('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', b.name);
  return xmlReply(wrap('OwnershipControls', wrap('Rule', el('ObjectOwnership', oc)), NS), ctx.requestId);
};

const getObjectLockConfiguration: Handler = (ctx) => {
  const b = bucketOf(ctx);
  const ol = b.objectLock;
  if (!ol || ol.enabled === false) {
    throw notConfigured('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', b.name);
  }
  const rule = ol.mode ? wrap('Rule', wrap('DefaultRetention', el('Mode', ol.mode) + el('Days', ol.days) + el('Years', ol.years))) : '';
  return xmlReply(wrap('ObjectLockConfiguration', el('ObjectLockEnabled', 'Enabled') + rule, NS), ctx.requestId);
};

const getBucketEncryption: Handler = (ctx) => {
  const b = bucketOf(ctx);
  const enc = b.encryption === undefined ? { algorithm: 'AES256' as const, bucketKey: false } : b.encryption;
  if (enc === null) {
    throw notConfigured('ServerSideEncryptionConfigurationNotFoundError', 'The server side encryption configuration was not found', b.name);
  }
  const xml = wrap(
    'ServerSideEncryptionConfiguration',
    wrap('Rule', wrap('ApplyServerSideEncryptionByDefault', el('SSEAlgorithm', enc.algorithm) + el('KMSMasterKeyID', enc.kmsKeyId)) + el('BucketKeyEnabled', enc.bucketKey ?? false)),
    NS,
  );
  return xmlReply(xml, ctx.requestId);
};

const getBucketLogging: Handler = (ctx) => {
  const b = bucketOf(ctx);
  const inner = b.logging ? wrap('LoggingEnabled', el('TargetBucket', b.logging.targetBucket) + el('TargetPrefix', b.logging.targetPrefix ?? '')) : '';
  return xmlReply(wrap('BucketLoggingStatus', inner, NS), ctx.requestId);
};

/** A bucket whose versioning was never configured answers an empty VersioningConfiguration. */
const getBucketVersioning: Handler = (ctx) => {
  const b = bucketOf(ctx);
  const v = b.versioning;
  const inner = v ? el('Status', v.status) + el('MfaDelete', v.mfaDelete === undefined ? undefined : v.mfaDelete ? 'Enabled' : 'Disabled') : '';
  return xmlReply(wrap('VersioningConfiguration', inner, NS), ctx.requestId);
};

const getBucketLifecycleConfiguration: Handler = (ctx) => {
  const b = bucketOf(ctx);
  if (!b.lifecycle || b.lifecycle.length === 0) throw notConfigured('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', b.name);
  const rules = b.lifecycle
    .map((r) =>
      wrap(
        'Rule',
        el('ID', r.id) +
          wrap('Filter', el('Prefix', r.prefix ?? '')) +
          el('Status', r.status ?? 'Enabled') +
          (r.transitions ?? []).map((t) => wrap('Transition', el('Days', t.days) + el('StorageClass', t.storageClass))).join('') +
          (r.expirationDays ? wrap('Expiration', el('Days', r.expirationDays)) : '') +
          (r.noncurrentVersionExpirationDays ? wrap('NoncurrentVersionExpiration', el('NoncurrentDays', r.noncurrentVersionExpirationDays)) : '') +
          (r.abortIncompleteMultipartUploadDays ? wrap('AbortIncompleteMultipartUpload', el('DaysAfterInitiation', r.abortIncompleteMultipartUploadDays)) : ''),
      ),
    )
    .join('');
  const reply = xmlReply(wrap('LifecycleConfiguration', rules, NS), ctx.requestId);
  reply.headers['x-amz-transition-default-minimum-object-size'] = 'all_storage_classes_128K';
  return reply;
};

export const s3Handlers: Record<string, Handler> = {
  ListBuckets: listBuckets,
  GetBucketLocation: getBucketLocation,
  GetBucketPolicy: getBucketPolicy,
  GetBucketPolicyStatus: getBucketPolicyStatus,
  GetBucketAcl: getBucketAcl,
  GetPublicAccessBlock: getPublicAccessBlock,
  GetBucketOwnershipControls: getBucketOwnershipControls,
  GetObjectLockConfiguration: getObjectLockConfiguration,
  GetBucketEncryption: getBucketEncryption,
  GetBucketLogging: getBucketLogging,
  GetBucketVersioning: getBucketVersioning,
  GetBucketLifecycleConfiguration: getBucketLifecycleConfiguration,
};

const CONTROL_NS = 'xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"';

/** S3 Control names the account in the `x-amz-account-id` header; it must be the caller's. */
function controlAccount(ctx: CallContext): string {
  const header = ctx.req.headers['x-amz-account-id'];
  const hostPrefix = /^([0-9]{12})\./.exec(String(ctx.req.headers.host ?? ''))?.[1];
  const accountId = typeof header === 'string' ? header : hostPrefix;
  if (!accountId) throw new SimError('InvalidRequest', 'Missing required header for this request: x-amz-account-id', 400);
  if (accountId !== ctx.account.id) throw new SimError('AccessDenied', 'Access Denied', 403);
  return accountId;
}

const getAccountPublicAccessBlock = (ctx: CallContext): Reply => {
  const accountId = controlAccount(ctx);
  const pab = ctx.account.publicAccessBlock;
  if (!pab) throw new SimError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404, { AccountId: accountId });
  return xmlReply(publicAccessBlockXml(pab, CONTROL_NS), ctx.requestId);
};

interface AccessPointModel {
  ap: WorldAccessPoint;
  bucket: BucketModel;
  arn: string;
}

/** The caller account's access points in the calling region: access points are regional. */
function accessPointsHere(ctx: CallContext): AccessPointModel[] {
  const out: AccessPointModel[] = [];
  for (const bucket of ctx.account.buckets) {
    if (bucketRegion(bucket) !== ctx.region) continue;
    for (const ap of bucket.accessPoints ?? []) out.push({ ap, bucket, arn: `arn:${ctx.model.partition}:s3:${ctx.region}:${ctx.account.id}:accesspoint/${ap.name}` });
  }
  return out.sort((a, b) => (a.ap.name < b.ap.name ? -1 : a.ap.name > b.ap.name ? 1 : 0));
}

function accessPointOf(ctx: CallContext): AccessPointModel {
  controlAccount(ctx);
  const name = decodeURIComponent(ctx.req.path.split('/')[3] ?? '');
  const found = accessPointsHere(ctx).find((m) => m.ap.name === name);
  if (!found) throw new SimError('NoSuchAccessPoint', 'The specified accesspoint does not exist', 404, { AccessPointName: name });
  return found;
}

const accessPointAlias = (m: AccessPointModel) => `${m.ap.name}-${createHash('sha256').update(m.arn).digest('hex').slice(0, 30)}-s3alias`;
const vpcXml = (ap: WorldAccessPoint) => (ap.networkOrigin === 'VPC' ? wrap('VpcConfiguration', el('VpcId', ap.vpcId ?? 'vpc-0123456789abcdef0')) : '');

/** ListAccessPoints (`bucket` filter, `maxResults` 1–1000, `nextToken`): the caller's, in this region. */
const listAccessPoints: Handler = (ctx) => {
  controlAccount(ctx);
  const q = ctx.req.query;
  const bucket = q.get('bucket');
  let all = accessPointsHere(ctx);
  if (bucket) all = all.filter((m) => m.bucket.name === bucket);
  const token = q.get('nextToken');
  if (token) all = all.filter((m) => m.ap.name > Buffer.from(token, 'base64').toString());
  const maxRaw = Number(q.get('maxResults') ?? '1000');
  const max = Number.isInteger(maxRaw) && maxRaw > 0 ? Math.min(maxRaw, 1000) : 1000;
  const page = all.slice(0, max);
  const next = page.length < all.length ? Buffer.from(page[page.length - 1]!.ap.name).toString('base64') : undefined;
  const items = page
    .map((m) =>
      wrap(
        'AccessPoint',
        el('Name', m.ap.name) +
          el('NetworkOrigin', m.ap.networkOrigin ?? 'Internet') +
          vpcXml(m.ap) +
          el('Bucket', m.bucket.name) +
          el('AccessPointArn', m.arn) +
          el('Alias', accessPointAlias(m)) +
          el('BucketAccountId', m.bucket.ownerId),
      ),
    )
    .join('');
  return xmlReply(wrap('ListAccessPointsResult', wrap('AccessPointList', items) + el('NextToken', next), CONTROL_NS), ctx.requestId);
};

const ALL_BLOCKED_AP: WorldPublicAccessBlock = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };

const getAccessPoint: Handler = (ctx) => {
  const m = accessPointOf(ctx);
  const xml = wrap(
    'GetAccessPointResult',
    el('Name', m.ap.name) +
      el('Bucket', m.bucket.name) +
      el('NetworkOrigin', m.ap.networkOrigin ?? 'Internet') +
      vpcXml(m.ap) +
      publicAccessBlockXml({ ...ALL_BLOCKED_AP, ...(m.ap.publicAccessBlock ?? {}) }, '') +
      el('CreationDate', m.bucket.creationDate ?? '2020-01-01T00:00:00.000Z') +
      el('Alias', accessPointAlias(m)) +
      el('AccessPointArn', m.arn) +
      el('BucketAccountId', m.bucket.ownerId),
    CONTROL_NS,
  );
  return xmlReply(xml, ctx.requestId);
};

const accessPointPolicyText = (m: AccessPointModel): string => {
  const p = m.ap.policy;
  if (p === undefined || p === null) throw new SimError('NoSuchAccessPointPolicy', 'The specified accesspoint policy does not exist', 404, { AccessPointName: m.ap.name });
  return typeof p === 'string' ? p : JSON.stringify(p);
};

const getAccessPointPolicy: Handler = (ctx) => {
  const m = accessPointOf(ctx);
  return xmlReply(wrap('GetAccessPointPolicyResult', el('Policy', accessPointPolicyText(m)), CONTROL_NS), ctx.requestId);
};

/** S3's own verdict, by the same "meaning of public" as for bucket policies; no policy is NoSuchAccessPointPolicy. */
const getAccessPointPolicyStatus: Handler = (ctx) => {
  const m = accessPointOf(ctx);
  const text = accessPointPolicyText(m);
  const isPublic = m.ap.policyStatus?.isPublic ?? policyIsPublic(text);
  return xmlReply(wrap('GetAccessPointPolicyStatusResult', wrap('PolicyStatus', el('IsPublic', isPublic)), CONTROL_NS), ctx.requestId);
};

export const s3ControlHandlers: Record<string, Handler> = {
  GetPublicAccessBlock: getAccountPublicAccessBlock,
  ListAccessPoints: listAccessPoints,
  GetAccessPoint: getAccessPoint,
  GetAccessPointPolicy: getAccessPointPolicy,
  GetAccessPointPolicyStatus: getAccessPointPolicyStatus,
};
