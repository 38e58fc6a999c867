import {
  DescribeKeyCommand,
  type DescribeKeyCommandOutput,
  GetKeyPolicyCommand,
  type GetKeyPolicyCommandOutput,
  GetKeyRotationStatusCommand,
  type GetKeyRotationStatusCommandOutput,
} from '@aws-sdk/client-kms';
import type { Key, KeyMetadata } from '@trailwarden/core';
import { compact, isoDate, parsePolicy, readKnown } from '../known-read.js';
import type { Metrics } from '../pacing/metrics.js';
import type { AccountSession } from '../session.js';

/** Metadata, key policy and rotation of one KMS key, read in its owner account and region. */
export async function readKey(session: AccountSession, arn: string, keyId: string, region: string, metrics: Metrics): Promise<Key> {
  const place = { accountId: session.accountId, region, metrics };
  const [metadata, policy, rotation] = await Promise.all([
    readKnown(place, 'DescribeKey', async () => {
      const out = await session.send<DescribeKeyCommandOutput>('kms', region, new DescribeKeyCommand({ KeyId: arn }));
      const m = out.KeyMetadata;
      return compact<KeyMetadata>({
        keyState: m?.KeyState ?? 'Unknown',
        enabled: m?.Enabled === true,
        keyManager: m?.KeyManager === 'AWS' ? 'AWS' : 'CUSTOMER',
        keySpec: m?.KeySpec,
        keyUsage: m?.KeyUsage,
        origin: m?.Origin,
        multiRegion: m?.MultiRegion,
        multiRegionKeyType: m?.MultiRegionConfiguration?.MultiRegionKeyType,
        primaryKeyArn: m?.MultiRegionConfiguration?.PrimaryKey?.Arn,
        customKeyStoreId: m?.CustomKeyStoreId,
        deletionDate: isoDate(m?.DeletionDate),
        description: m?.Description,
      });
    }),
    readKnown(place, 'GetKeyPolicy', async () => {
      const out = await session.send<GetKeyPolicyCommandOutput>('kms', region, new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' }));
      return parsePolicy(out.Policy);
    }),
    readKnown(place, 'GetKeyRotationStatus', async () => {
      const out = await session.send<GetKeyRotationStatusCommandOutput>('kms', region, new GetKeyRotationStatusCommand({ KeyId: arn }));
      return compact({ enabled: out.KeyRotationEnabled === true, rotationPeriodInDays: out.RotationPeriodInDays });
    }),
  ]);
  return { arn, keyId, ownerAccountId: session.accountId, region, metadata, policy, rotation };
}
