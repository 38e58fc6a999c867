/**
 * Read-only object reads for log-file integrity verification: list a trail bucket's keys
 * (ListObjectsV2), read digest and log files (GetObject, with the digest's user metadata), and the
 * region's CloudTrail public keys (ListPublicKeys). Same pacing, retries, role assumption and
 * read-only guard as the collector; object reads are paced on their own (S3 serves 5,500 GET/s per
 * prefix, not the 100/s assumed for bucket configuration calls).
 */
import { resolveHomeRegion } from '../home-region.js';
import type { Readable } from 'node:stream';
import { ListPublicKeysCommand, type ListPublicKeysCommandOutput } from '@aws-sdk/client-cloudtrail';
import { GetObjectCommand, type GetObjectCommandOutput, ListObjectsV2Command, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, type GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { parseArn } from '../arn.js';
import { ClientFactory, type Credentials, memoizeCredentials, withCredentials } from '../clients.js';
import { RoleAssumer } from '../credentials.js';
import { errorCode, errorMessage } from '../errors.js';
import { Caller } from '../pacing/caller.js';
import { Metrics } from '../pacing/metrics.js';
import { AccountSession } from '../session.js';

export interface ObjectReadOptions {
  endpointUrl?: string;
  region?: string;
  profile?: string;
  credentials?: Credentials;
  roleName?: string;
  externalId?: string;
  maxAttempts?: number;
}

export interface ObjectListPage {
  objects: { key: string }[];
  prefixes: string[];
  next?: string;
}

export type ObjectFetch =
  | { kind: 'ok'; body: Buffer; metadata: Record<string, string> | undefined }
  | { kind: 'notFound' }
  | { kind: 'error'; code: string; message: string };

export interface PublicKeyRead {
  value: Uint8Array;
  fingerprint: string;
  validityStart?: Date;
  validityEnd?: Date;
}

/** One account's view for the verifier (structurally an @trailwarden/integrity IntegritySource). */
export interface ObjectReader {
  readonly label: string;
  list(bucket: string, prefix: string, options: { startAfter?: string; delimiter?: string; next?: string }): Promise<ObjectListPage>;
  get(bucket: string, key: string, maxBytes: number): Promise<ObjectFetch>;
  publicKeys(region: string, from: Date, to: Date): Promise<PublicKeyRead[]>;
}

export interface ObjectReads {
  /** Reads in `accountId` (the bucket owner; the caller's own credentials or the assumed role). */
  readerFor(accountId: string, bucketRegion: string): ObjectReader;
  callerAccountId: string;
  calls(): { total: number; byOperation: Record<string, number>; throttles: number; retries: number };
  close(): void;
}

class TooLarge extends Error {}

async function readBounded(body: unknown, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as Readable) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += b.length;
    if (size > maxBytes) {
      (body as Readable).destroy?.();
      throw new TooLarge(`over the ${maxBytes}-byte limit`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Open the reads of a run: who is calling, role assumption into bucket owners. */
export async function openObjectReads(options: ObjectReadOptions): Promise<ObjectReads> {
  // As the collector: --region, then the SDK's AWS_REGION / profile region (GovCloud, China).
  const homeRegion = (await resolveHomeRegion(options.region, options.profile)).region;
  const metrics = new Metrics();
  const caller = new Caller({ metrics, maxAttempts: options.maxAttempts ?? 8 });
  const factory = await new ClientFactory(options.endpointUrl ?? (process.env.AWS_ENDPOINT_URL || undefined)).loadClientClasses();
  const base: AwsCredentialIdentityProvider = memoizeCredentials(options.credentials ?? fromNodeProviderChain(options.profile ? { profile: options.profile } : {}));
  const probe = new AccountSession('caller', base, factory, caller);
  let identity: GetCallerIdentityCommandOutput;
  try {
    identity = await probe.send<GetCallerIdentityCommandOutput>('sts', homeRegion, new GetCallerIdentityCommand({}));
  } catch (err) {
    factory.close();
    throw new Error(`cannot identify the caller (sts:GetCallerIdentity: ${errorCode(err)}${errorMessage(err) ? ` — ${errorMessage(err)}` : ''})`);
  }
  const callerId = identity.Account ?? '';
  const partition = parseArn(identity.Arn ?? '')?.partition ?? 'aws';
  const callerSession = new AccountSession(callerId, base, factory, caller);
  const assumer = new RoleAssumer(callerSession, {
    partition,
    roleName: options.roleName ?? 'OrganizationAccountAccessRole',
    region: homeRegion,
    ...(options.externalId ? { externalId: options.externalId } : {}),
  });
  const credentialsOf = (accountId: string) => (accountId === callerId ? base : assumer.provider(accountId));

  const readerFor = (accountId: string, bucketRegion: string): ObjectReader => {
    const credentials = credentialsOf(accountId);
    const send = <T>(service: 's3' | 'cloudtrail', pace: string, region: string, command: object) =>
      withCredentials(credentials, () => caller.send<T>({ accountId, region, service: pace }, factory.get(service, region), command));
    return {
      label: 's3',
      async list(bucket, prefix, o) {
        const out = await send<ListObjectsV2CommandOutput>(
          's3',
          's3',
          bucketRegion,
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ...(o.delimiter ? { Delimiter: o.delimiter } : {}),
            ...(o.next ? { ContinuationToken: o.next } : o.startAfter ? { StartAfter: o.startAfter } : {}),
          }),
        );
        return {
          objects: (out.Contents ?? []).flatMap((c) => (c.Key ? [{ key: c.Key }] : [])),
          prefixes: (out.CommonPrefixes ?? []).flatMap((p) => (p.Prefix ? [p.Prefix] : [])),
          ...(out.IsTruncated && out.NextContinuationToken ? { next: out.NextContinuationToken } : {}),
        };
      },
      async get(bucket, key, maxBytes) {
        try {
          const out = await send<GetObjectCommandOutput>('s3', 's3-objects', bucketRegion, new GetObjectCommand({ Bucket: bucket, Key: key }));
          if ((out.ContentLength ?? 0) > maxBytes) {
            (out.Body as Readable | undefined)?.destroy?.();
            return { kind: 'error', code: 'TooLarge', message: `${out.ContentLength} bytes, over the ${maxBytes}-byte limit` };
          }
          return { kind: 'ok', body: await readBounded(out.Body, maxBytes), metadata: out.Metadata ?? {} };
        } catch (err) {
          if (err instanceof TooLarge) return { kind: 'error', code: 'TooLarge', message: err.message };
          const code = errorCode(err);
          if (code === 'NoSuchKey' || code === 'NotFound') return { kind: 'notFound' };
          return { kind: 'error', code, message: errorMessage(err) || code };
        }
      },
      async publicKeys(region, from, to) {
        const keys: PublicKeyRead[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
          const out: ListPublicKeysCommandOutput = await send<ListPublicKeysCommandOutput>(
            'cloudtrail',
            'cloudtrail',
            region,
            new ListPublicKeysCommand({ StartTime: from, EndTime: to, ...(token ? { NextToken: token } : {}) }),
          );
          for (const k of out.PublicKeyList ?? []) {
            if (!k.Value || !k.Fingerprint) continue;
            keys.push({ value: k.Value, fingerprint: k.Fingerprint, ...(k.ValidityStartTime ? { validityStart: k.ValidityStartTime } : {}), ...(k.ValidityEndTime ? { validityEnd: k.ValidityEndTime } : {}) });
          }
          token = out.NextToken;
        } while (token && ++pages < 100);
        return keys;
      },
    };
  };

  return {
    readerFor,
    callerAccountId: callerId,
    calls: () => ({ total: metrics.calls, byOperation: Object.fromEntries(metrics.byOperation), throttles: metrics.throttles, retries: metrics.retries }),
    close: () => factory.close(),
  };
}
