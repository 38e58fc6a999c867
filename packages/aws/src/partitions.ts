import { partition as sdkPartition } from '@aws-sdk/core/client';

/** The partitions Trailwarden scans (the snapshot's `partition`). */
export const KNOWN_PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b'] as const;

/**
 * The partition a region name belongs to, from the AWS SDK's own endpoint partitions
 * (`partitions.json`: each partition's regions and region-name pattern), e.g. `us-gov-west-1` →
 * `aws-us-gov`, `cn-north-1` → `aws-cn`. A name no partition claims is `aws`, as in the SDK.
 */
export function partitionOfRegion(region: string): string {
  return sdkPartition(region).name;
}
