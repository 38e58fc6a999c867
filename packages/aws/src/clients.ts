import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { Service } from './pacing/quotas.js';
import { guardClient } from './read-only.js';

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export interface ServiceClients {
  sts: STSClient;
  organizations: OrganizationsClient;
  ec2: EC2Client;
  cloudtrail: CloudTrailClient;
  s3: S3Client;
  s3control: S3ControlClient;
  iam: IAMClient;
  kms: KMSClient;
}

const MAX_SOCKETS_PER_HOST = 64;

/**
 * Builds SDK clients that share one keep-alive agent (per protocol) and one request handler.
 * The SDK's own retries are off (maxAttempts 1): the Caller paces and retries, so throttles are
 * counted and attempts do not multiply.
 */
export class ClientFactory {
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_HOST });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_HOST });
  private readonly handler: NodeHttpHandler;

  constructor(private readonly endpointUrl: string | undefined) {
    this.handler = new NodeHttpHandler({
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      connectionTimeout: 10_000,
      requestTimeout: 60_000,
    });
  }

  create<S extends Service>(service: S, region: string, credentials: Credentials): ServiceClients[S] {
    const base = {
      region,
      credentials,
      requestHandler: this.handler,
      maxAttempts: 1,
      ...(this.endpointUrl ? { endpoint: this.endpointUrl } : {}),
    };
    let client: ServiceClients[Service];
    switch (service) {
      case 'sts':
        client = new STSClient(base);
        break;
      case 'organizations':
        client = new OrganizationsClient(base);
        break;
      case 'ec2':
        client = new EC2Client(base);
        break;
      case 'cloudtrail':
        client = new CloudTrailClient(base);
        break;
      case 's3':
        // Path-style addressing: AWS-compatible endpoints have no per-bucket DNS names.
        client = new S3Client({ ...base, forcePathStyle: this.endpointUrl !== undefined, followRegionRedirects: false });
        break;
      case 's3control':
        // S3 Control's endpoint rules put the account id in front of the host
        // (`123456789012.s3-control...`), which an AWS-compatible endpoint does not serve (and which
        // is not even a valid URL for an IP address): resolve every S3 Control call to the endpoint
        // itself. The account id still travels in the `x-amz-account-id` header.
        client = new S3ControlClient(this.endpointUrl ? { ...base, endpointProvider: () => ({ url: new URL(this.endpointUrl!) }) } : base);
        break;
      case 'iam':
        client = new IAMClient(base);
        break;
      case 'kms':
        client = new KMSClient(base);
        break;
      default:
        throw new Error(`unknown service ${String(service)}`);
    }
    return guardClient(client) as ServiceClients[S];
  }

  /** Close the shared sockets (the clients themselves are never destroyed: they share the handler). */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
