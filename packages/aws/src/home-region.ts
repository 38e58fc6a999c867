import { loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS } from '@smithy/core/config';

/** Where the scan's home region (STS, Organizations, IAM, ListBuckets, DescribeRegions) came from. */
export interface HomeRegion {
  region: string;
  /** `option` (--region / config `aws.region`), `sdk` (AWS_REGION or the profile's `region`), or `default`. */
  source: 'option' | 'sdk' | 'default';
}

/** Used only when nothing names a region: the commercial partition's global endpoint region. */
export const FALLBACK_REGION = 'us-east-1';

/**
 * The home region as the AWS SDK resolves it — `AWS_REGION`, then the profile's `region` in the
 * shared credentials and config files (`--profile`, else AWS_PROFILE, else `default`) — with an
 * explicit option first. The SDK reads neither AWS_DEFAULT_REGION (the AWS CLI's) nor, here, the
 * instance metadata service (its last resort; a scan must not wait on it off EC2): with none of
 * them, us-east-1, and a caller the commercial partition does not know is told to name a region.
 */
export async function resolveHomeRegion(explicit: string | undefined, profile: string | undefined): Promise<HomeRegion> {
  if (explicit) return { region: explicit, source: 'option' };
  const provider = loadConfig(
    { ...NODE_REGION_CONFIG_OPTIONS, default: () => undefined as unknown as string },
    { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...(profile ? { profile } : {}) },
  );
  const region = await provider().catch(() => undefined);
  return region ? { region, source: 'sdk' } : { region: FALLBACK_REGION, source: 'default' };
}
