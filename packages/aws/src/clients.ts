import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import type { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { Sender } from './pacing/caller.js';
import type { Service } from './pacing/quotas.js';
import { guardClient } from './read-only.js';
import type * as SdkClients from './sdk-clients.js';

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/**
 * The credentials of the account a request is made for. Clients are shared by every account (one
 * per service and region: building SDK clients is costly, and a scan would otherwise build tens of
 * thousands); each request runs inside `withCredentials`, and the clients' credential provider
 * reads them from here.
 */
const requestCredentials = new AsyncLocalStorage<AwsCredentialIdentityProvider>();

export function withCredentials<T>(credentials: AwsCredentialIdentityProvider, run: () => Promise<T>): Promise<T> {
  return requestCredentials.run(credentials, run);
}

/** The provider every shared client uses. `memoized` tells the SDK not to cache it per client. */
const contextCredentials: AwsCredentialIdentityProvider & { memoized: boolean } = Object.assign(
  async (): Promise<AwsCredentialIdentity> => {
    const provider = requestCredentials.getStore();
    if (!provider) throw new Error('Trailwarden: an AWS request was made outside an account session');
    return provider();
  },
  { memoized: true },
);

/** Refresh cached credentials this long before they expire. */
const REFRESH_MARGIN_MS = 10 * 60_000;

/** A provider that resolves once and again only when the credentials are about to expire; `refresh` resolves anew now. */
export function memoizeCredentials(credentials: Credentials): AwsCredentialIdentityProvider & { refresh(): Promise<AwsCredentialIdentity> } {
  if (typeof credentials !== 'function') {
    const fixed = credentials;
    return Object.assign(async () => fixed, { refresh: async () => fixed });
  }
  let cached: Promise<AwsCredentialIdentity> | undefined;
  const resolve = (force: boolean) => {
    // The SDK's own chains are memoized too: `forceRefresh` asks them past their cache.
    const next = force ? credentials({ forceRefresh: true }) : credentials();
    cached = next;
    next.catch(() => {
      if (cached === next) cached = undefined;
    });
    return next;
  };
  const provider = async () => {
    if (cached) {
      const current = await cached.catch(() => undefined);
      if (current && (!current.expiration || current.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS)) return current;
    }
    return resolve(false);
  };
  return Object.assign(provider, { refresh: () => resolve(true) });
}

export interface ServiceClients {
  sts: STSClient;
  organizations: OrganizationsClient;
  ec2: EC2Client;
  cloudtrail: CloudTrailClient;
  s3: S3Client;
  s3control: S3ControlClient;
  iam: IAMClient;
  kms: KMSClient;
  logs: CloudWatchLogsClient;
  cloudwatch: CloudWatchClient;
  sns: SNSClient;
  events: EventBridgeClient;
}

const MAX_SOCKETS_PER_HOST = 64;

/**
 * Settings the SDK would otherwise look up, per client, in the environment and ~/.aws/config
 * (each miss throws and catches an error): with thousands of clients per scan that lookup is most
 * of the collector's CPU. None of them changes what is read: no FIPS/dual-stack endpoints, no S3
 * Express sessions, checksums only where required (never for these GETs), SDK retries off
 * (`maxAttempts: 1`: the Caller paces and retries, so throttles are counted and attempts do not
 * multiply).
 */
const FIXED_CONFIG = {
  maxAttempts: 1,
  retryMode: 'standard',
  defaultsMode: 'standard',
  useFipsEndpoint: false,
  useDualstackEndpoint: false,
  useArnRegion: false,
  disableS3ExpressSessionAuth: true,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
  authSchemePreference: [] as string[],
  sigv4aSigningRegionSet: [] as string[],
  userAgentAppId: 'trailwarden',
} as const;

/**
 * Builds SDK clients that share one keep-alive agent (per protocol) and one request handler.
 * The SDK's own retries are off (maxAttempts 1): the Caller paces and retries, so throttles are
 * counted and attempts do not multiply.
 */
export class ClientFactory {
  private readonly clients = new Map<string, ServiceClients[Service]>();
  /** Every client class but STS's, given once loaded (`useClientClasses`): see sdk-clients.ts. */
  private sdk: typeof SdkClients | undefined;
  private readonly custom = new Map<string, Sender>();
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_HOST });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_HOST });
  private readonly handler: NodeHttpHandler;

  constructor(private readonly endpointUrl: string | undefined) {
    // Trailwarden supports Node 20 (package engines); the SDK's advice to move to Node 22 would be
    // printed on every scan. A user who sets the variable keeps their choice.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.handler = new NodeHttpHandler({
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      // A silent endpoint must not hang a scan: no TCP connection in 5 s, or no byte of an answer
      // for 30 s, is a TimeoutError; the Caller retries it (at most 3 attempts per call).
      connectionTimeout: 5_000,
      requestTimeout: 30_000,
    });
  }

  /** The client classes of every service but STS, which the collector imports after its first call. */
  useClientClasses(classes: typeof SdkClients): void {
    this.sdk = classes;
  }

  /** Load the client classes now (for users of the factory that do not overlap it with a first call). */
  async loadClientClasses(): Promise<this> {
    this.sdk ??= await import('./sdk-clients.js');
    return this;
  }

  private classes(service: Service): typeof SdkClients {
    if (!this.sdk) throw new Error(`Trailwarden: the ${service} client was asked for before the SDK clients were loaded`);
    return this.sdk;
  }

  /** The shared client of a service in a region (built on first use). */
  get<S extends Service>(service: S, region: string): ServiceClients[S] {
    const key = `${service}|${region}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.create(service, region, contextCredentials);
      this.clients.set(key, client);
    }
    return client as ServiceClients[S];
  }

  create<S extends Service>(service: S, region: string, credentials: Credentials): ServiceClients[S] {
    const base = {
      ...FIXED_CONFIG,
      region,
      credentials,
      requestHandler: this.handler,
      ...(this.endpointUrl ? { endpoint: this.endpointUrl } : {}),
    };
    let client: ServiceClients[Service];
    switch (service) {
      case 'sts':
        client = new STSClient(base);
        break;
      case 'organizations':
        client = new (this.classes(service).OrganizationsClient)(base);
        break;
      case 'ec2':
        client = new (this.classes(service).EC2Client)(base);
        break;
      case 'cloudtrail':
        client = new (this.classes(service).CloudTrailClient)(base);
        break;
      case 's3':
        // Path-style addressing: AWS-compatible endpoints have no per-bucket DNS names.
        client = new (this.classes(service).S3Client)({ ...base, forcePathStyle: this.endpointUrl !== undefined, followRegionRedirects: false });
        break;
      case 's3control':
        // S3 Control's endpoint rules put the account id in front of the host
        // (`123456789012.s3-control...`), which an AWS-compatible endpoint does not serve (and which
        // is not even a valid URL for an IP address): resolve every S3 Control call to the endpoint
        // itself. The account id still travels in the `x-amz-account-id` header.
        client = new (this.classes(service).S3ControlClient)(this.endpointUrl ? { ...base, endpointProvider: () => ({ url: new URL(this.endpointUrl!) }) } : base);
        break;
      case 'iam':
        client = new (this.classes(service).IAMClient)(base);
        break;
      case 'kms':
        client = new (this.classes(service).KMSClient)(base);
        break;
      case 'logs':
        client = new (this.classes(service).CloudWatchLogsClient)(base);
        break;
      case 'cloudwatch':
        client = new (this.classes(service).CloudWatchClient)(base);
        break;
      case 'sns':
        client = new (this.classes(service).SNSClient)(base);
        break;
      case 'events':
        client = new (this.classes(service).EventBridgeClient)(base);
        break;
      default:
        throw new Error(`unknown service ${String(service)}`);
    }
    return guardClient(client) as ServiceClients[S];
  }

  /**
   * The shared client of an SDK package the collector does not use itself (plugin `collect`
   * entries), built from its client class with the same settings, and guarded read-only too.
   */
  getCustom(name: string, region: string, Client: new (config: object) => Sender): Sender {
    const key = `custom:${name}|${region}`;
    let client = this.custom.get(key);
    if (!client) {
      client = guardClient(
        new Client({ ...FIXED_CONFIG, region, credentials: contextCredentials, requestHandler: this.handler, ...(this.endpointUrl ? { endpoint: this.endpointUrl } : {}) }),
      );
      this.custom.set(key, client);
    }
    return client;
  }

  /** Close the shared sockets (the clients themselves are never destroyed: they share the handler). */
  close(): void {
    this.clients.clear();
    this.custom.clear();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
