/**
 * Regions that need an explicit opt-in (AWS docs: "Specify which AWS Regions your account can use",
 * https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html). Every other region
 * is enabled in every account and cannot be disabled.
 */
export const OPT_IN_REGIONS: ReadonlySet<string> = new Set([
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
]);

export const DEFAULT_WORLD_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];

/**
 * Which partition a region belongs to, by the region-name patterns of the AWS SDK's endpoint
 * partitions (`partitions.json`: `regionRegex` and `dnsSuffix` of each partition). Credentials are
 * valid only in their own partition, and DescribeRegions lists only the caller's partition.
 */
const PARTITION_PATTERNS: { partition: string; pattern: RegExp; dnsSuffix: string }[] = [
  { partition: 'aws-us-gov', pattern: /^us-gov-\w+-\d+$/, dnsSuffix: 'amazonaws.com' },
  { partition: 'aws-cn', pattern: /^cn-\w+-\d+$/, dnsSuffix: 'amazonaws.com.cn' },
  { partition: 'aws-iso', pattern: /^us-iso-\w+-\d+$/, dnsSuffix: 'c2s.ic.gov' },
  { partition: 'aws-iso-b', pattern: /^us-isob-\w+-\d+$/, dnsSuffix: 'sc2s.sgov.gov' },
  { partition: 'aws-iso-e', pattern: /^eu-isoe-\w+-\d+$/, dnsSuffix: 'cloud.adc-e.uk' },
  { partition: 'aws-iso-f', pattern: /^us-isof-\w+-\d+$/, dnsSuffix: 'csp.hci.ic.gov' },
  { partition: 'aws', pattern: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/, dnsSuffix: 'amazonaws.com' },
];

export function partitionOfRegion(region: string): string {
  return PARTITION_PATTERNS.find((p) => p.pattern.test(region))?.partition ?? 'aws';
}

export function dnsSuffixOf(partition: string): string {
  return PARTITION_PATTERNS.find((p) => p.partition === partition)?.dnsSuffix ?? 'amazonaws.com';
}
