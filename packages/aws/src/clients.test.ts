import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetBucketPolicyCommand, type GetBucketPolicyCommandOutput } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, type GetPublicAccessBlockCommandOutput } from '@aws-sdk/client-s3-control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientFactory } from './clients.js';

const seen: { host?: string; url?: string; accountHeader?: string | string[] }[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    seen.push({ host: req.headers.host, url: req.url, accountHeader: req.headers['x-amz-account-id'] });
    if (req.url?.startsWith('/v20180820/configuration/publicAccessBlock')) {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>false</BlockPublicPolicy><RestrictPublicBuckets>false</RestrictPublicBuckets></PublicAccessBlockConfiguration>',
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"Version":"2012-10-17","Statement":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

describe('--endpoint-url', () => {
  it('sends S3 requests path-style to the endpoint', async () => {
    const factory = new ClientFactory(url);
    try {
      await factory.loadClientClasses();
      const s3 = factory.create('s3', 'eu-west-1', credentials);
      const out = (await s3.send(new GetBucketPolicyCommand({ Bucket: 'my-trail-bucket' }))) as GetBucketPolicyCommandOutput;
      expect(out.Policy).toBe('{"Version":"2012-10-17","Statement":[]}');
      expect(seen.at(-1)).toMatchObject({ host: new URL(url).host, });
      expect(seen.at(-1)?.url).toMatch(/^\/my-trail-bucket\/?\?policy/);
    } finally {
      factory.close();
    }
  });

  it('keeps S3 Control on the endpoint host instead of prefixing the account id', async () => {
    const factory = new ClientFactory(url);
    try {
      await factory.loadClientClasses();
      const s3control = factory.create('s3control', 'us-east-1', credentials);
      const out = (await s3control.send(new GetPublicAccessBlockCommand({ AccountId: '123456789012' }))) as GetPublicAccessBlockCommandOutput;
      expect(out.PublicAccessBlockConfiguration).toMatchObject({ BlockPublicAcls: true, BlockPublicPolicy: false });
      expect(seen.at(-1)).toMatchObject({ host: new URL(url).host, accountHeader: '123456789012' });
      expect(seen.at(-1)?.url).toMatch(/^\/v20180820\/configuration\/publicAccessBlock/);
    } finally {
      factory.close();
    }
  });
});
