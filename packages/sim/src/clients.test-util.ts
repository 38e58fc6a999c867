/** Real AWS SDK v3 clients pointed at a running simulator (test-only). */
import { request } from 'node:http';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import type { SimServer } from './server.js';

export type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export interface ClientOptions {
  region?: string;
  credentials?: Credentials;
  maxAttempts?: number;
}

export function clients(sim: SimServer, options: ClientOptions = {}) {
  const config = {
    endpoint: sim.url,
    region: options.region ?? 'us-east-1',
    credentials: options.credentials ?? sim.callerCredentials,
    maxAttempts: options.maxAttempts ?? 1,
  };
  return {
    cloudtrail: new CloudTrailClient(config),
    ec2: new EC2Client(config),
    iam: new IAMClient(config),
    kms: new KMSClient(config),
    organizations: new OrganizationsClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    // S3 Control's endpoint rules prefix the host with the account id (`<acct>.127.0.0.1` is no valid
    // URL); a fixed endpoint provider sends the call to the simulator as is, the account id in its header.
    s3control: new S3ControlClient({ ...config, endpointProvider: () => ({ url: new URL(sim.url) }) }),
    sts: new STSClient(config),
  };
}

/** The error an SDK call rejects with, or a failure if it resolved. */
export async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Credentials of `role` in `accountId`, assumed from `from` (default: the world's caller). */
export async function assumeCredentials(sim: SimServer, accountId: string, role = 'TrailwardenAudit', from?: Credentials, externalId?: string): Promise<Credentials> {
  const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  const out = await clients(sim, { credentials: from }).sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${role}`, RoleSessionName: 'trailwarden-test', ExternalId: externalId }),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

/** SDK clients acting as the TrailwardenAudit role of `accountId` in `region`. */
export async function clientsAs(sim: SimServer, accountId: string, region = 'us-east-1') {
  return clients(sim, { region, credentials: await assumeCredentials(sim, accountId) });
}

export const DEMO = {
  management: '210987654321',
  logArchive: '318273645501',
  security: '427364519802',
  payments: '536271849003',
  web: '645182930704',
  sandbox: '754093021605',
  orgTrailArn: 'arn:aws:cloudtrail:us-east-1:210987654321:trail/acme-org-trail',
} as const;

/** A raw HTTP request (for headers fetch() refuses, such as Host, and for malformed requests). */
export function rawRequest(
  base: string,
  path: string,
  headers: Record<string, string>,
  method = 'GET',
  body = '',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = request({ host: url.hostname, port: url.port, path, method, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
