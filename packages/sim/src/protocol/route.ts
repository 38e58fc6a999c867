/** Tells which service and operation an HTTP request is, and who signed it, from the wire alone. */
import type { IncomingHttpHeaders } from 'node:http';
import type { ServiceName } from './services.js';

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Route {
  service: ServiceName;
  operation: string;
}

export interface Signature {
  accessKeyId: string;
  region: string;
  service: string;
}

/**
 * Reads the SigV4 credential scope (`Credential=AKID/20240101/us-east-1/cloudtrail/aws4_request`).
 * Signatures are not verified: the simulator trusts the key id, as a local test double.
 */
export function readSignature(headers: IncomingHttpHeaders, query: URLSearchParams): Signature | undefined {
  const auth = headers.authorization;
  const credential = auth ? /Credential=([^,\s]+)/.exec(auth)?.[1] : (query.get('X-Amz-Credential') ?? undefined);
  if (!credential) return undefined;
  const [accessKeyId, , region, service] = credential.split('/');
  if (!accessKeyId || !region || !service) return undefined;
  return { accessKeyId, region, service };
}

const TARGET_PREFIXES: [RegExp, ServiceName][] = [
  [/CloudTrail_20131101$/, 'cloudtrail'],
  [/^TrentService$/, 'kms'],
  [/^AWSOrganizationsV20161128$/, 'organizations'],
  [/^Logs_20140328$/, 'logs'],
  [/^AWSEvents$/, 'events'],
  [/^GraniteServiceVersion20100801$/, 'cloudwatch'],
];

const QUERY_VERSIONS: Record<string, ServiceName> = { '2011-06-15': 'sts', '2010-05-08': 'iam', '2016-11-15': 'ec2', '2010-03-31': 'sns' };

/** S3 bucket sub-resources the simulator knows, by query key, with the operation names of GET/PUT/DELETE. */
const S3_SUBRESOURCES: Record<string, [get: string, put: string, del: string]> = {
  location: ['GetBucketLocation', 'CreateBucket', 'DeleteBucket'],
  policy: ['GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy'],
  policyStatus: ['GetBucketPolicyStatus', 'PutBucketPolicyStatus', 'DeleteBucketPolicyStatus'],
  acl: ['GetBucketAcl', 'PutBucketAcl', 'DeleteBucketAcl'],
  publicAccessBlock: ['GetPublicAccessBlock', 'PutPublicAccessBlock', 'DeletePublicAccessBlock'],
  ownershipControls: ['GetBucketOwnershipControls', 'PutBucketOwnershipControls', 'DeleteBucketOwnershipControls'],
  'object-lock': ['GetObjectLockConfiguration', 'PutObjectLockConfiguration', 'DeleteObjectLockConfiguration'],
  encryption: ['GetBucketEncryption', 'PutBucketEncryption', 'DeleteBucketEncryption'],
  logging: ['GetBucketLogging', 'PutBucketLogging', 'DeleteBucketLogging'],
  versioning: ['GetBucketVersioning', 'PutBucketVersioning', 'DeleteBucketVersioning'],
  lifecycle: ['GetBucketLifecycleConfiguration', 'PutBucketLifecycleConfiguration', 'DeleteBucketLifecycle'],
  tagging: ['GetBucketTagging', 'PutBucketTagging', 'DeleteBucketTagging'],
  cors: ['GetBucketCors', 'PutBucketCors', 'DeleteBucketCors'],
  website: ['GetBucketWebsite', 'PutBucketWebsite', 'DeleteBucketWebsite'],
  replication: ['GetBucketReplication', 'PutBucketReplication', 'DeleteBucketReplication'],
  notification: ['GetBucketNotificationConfiguration', 'PutBucketNotificationConfiguration', 'DeleteBucketNotification'],
};

export type RouteResult = Route | { service: ServiceName; error: string };

/** Routes a request; an unroutable one still gets a service so its error has the right shape. */
export function route(req: SimRequest, signature: Signature | undefined): RouteResult {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const dot = target.lastIndexOf('.');
    const prefix = target.slice(0, dot);
    const operation = target.slice(dot + 1);
    const service = TARGET_PREFIXES.find(([re]) => re.test(prefix))?.[1];
    if (!service || !operation) return { service: service ?? 'cloudtrail', error: `Unknown X-Amz-Target ${target}` };
    return { service, operation };
  }
  if (req.path.startsWith('/v20180820/')) return s3ControlRoute(req);
  const contentType = String(req.headers['content-type'] ?? '');
  if (req.method === 'POST' && contentType.includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(req.body);
    const version = form.get('Version') ?? '';
    const service = QUERY_VERSIONS[version] ?? (signature && signature.service in { sts: 1, iam: 1, ec2: 1, sns: 1 } ? (signature.service as ServiceName) : 'sts');
    const operation = form.get('Action');
    if (!operation || !/^[A-Za-z0-9]+$/.test(operation)) return { service, error: 'Missing or malformed Action' };
    return { service, operation };
  }
  return s3Route(req);
}

/** `/accesspoint`, `/accesspoint/{name}`, `/accesspoint/{name}/policy`, `/accesspoint/{name}/policyStatus`. */
const ACCESS_POINT_PATH = /^\/accesspoint(?:\/([^/]+)(\/policy|\/policyStatus)?)?\/?$/;

function s3ControlRoute(req: SimRequest): RouteResult {
  const path = req.path.slice('/v20180820'.length);
  if (path === '/configuration/publicAccessBlock') {
    const op = req.method === 'GET' ? 'GetPublicAccessBlock' : req.method === 'PUT' ? 'PutPublicAccessBlock' : req.method === 'DELETE' ? 'DeletePublicAccessBlock' : undefined;
    if (op) return { service: 's3control', operation: op };
  }
  const accessPoint = ACCESS_POINT_PATH.exec(path);
  if (accessPoint) {
    const sub = accessPoint[2] === '/policy' ? 'Policy' : accessPoint[2] === '/policyStatus' ? 'PolicyStatus' : '';
    const op = !accessPoint[1]
      ? req.method === 'GET' ? 'ListAccessPoints' : undefined
      : req.method === 'GET' ? `GetAccessPoint${sub}` : req.method === 'DELETE' ? `DeleteAccessPoint${sub}` : req.method === 'PUT' ? (sub ? `PutAccessPoint${sub}` : 'CreateAccessPoint') : undefined;
    if (op) return { service: 's3control', operation: op };
  }
  const verb = req.method === 'GET' ? 'Get' : req.method === 'DELETE' ? 'Delete' : req.method === 'PUT' ? 'Put' : 'Post';
  const noun = path.split('/').filter(Boolean).slice(0, 2).map((p) => p.replace(/[^A-Za-z]/g, '')).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
  return { service: 's3control', operation: `${verb}${noun || 'Unknown'}` };
}

function s3Route(req: SimRequest): RouteResult {
  const segments = req.path.split('/').filter(Boolean);
  const method = req.method;
  if (segments.length === 0) {
    return method === 'GET' ? { service: 's3', operation: 'ListBuckets' } : { service: 's3', error: `${method} / is not an S3 operation` };
  }
  if (segments.length > 1) {
    const op = method === 'GET' ? 'GetObject' : method === 'HEAD' ? 'HeadObject' : method === 'PUT' ? 'PutObject' : method === 'DELETE' ? 'DeleteObject' : 'PostObject';
    return { service: 's3', operation: op };
  }
  for (const [key, ops] of Object.entries(S3_SUBRESOURCES)) {
    if (!req.query.has(key)) continue;
    if (method === 'GET') return { service: 's3', operation: ops[0] };
    if (method === 'PUT') return { service: 's3', operation: ops[1] };
    if (method === 'DELETE') return { service: 's3', operation: ops[2] };
  }
  if (method === 'POST' && req.query.has('delete')) return { service: 's3', operation: 'DeleteObjects' };
  if (method === 'GET' && req.query.get('list-type') === '2') return { service: 's3', operation: 'ListObjectsV2' };
  const op = method === 'GET' ? 'ListObjects' : method === 'HEAD' ? 'HeadBucket' : method === 'PUT' ? 'CreateBucket' : method === 'DELETE' ? 'DeleteBucket' : 'PostBucket';
  return { service: 's3', operation: op };
}
