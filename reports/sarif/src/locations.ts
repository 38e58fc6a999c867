import { type Finding, GLOBAL_REGION, parseArn, wellFormed } from '@trailwarden/core';
import type { SarifLogicalLocation } from './sarif-types.js';

/**
 * GitHub rejects a result without a physical location and reads `arn:` as a URI scheme, so each
 * resource gets a synthetic relative path `aws/<account>/<region|global>/<service>/<type>/<name>`:
 * no scheme, no leading slash, every segment percent-encoded (a `/` in a name cannot add levels).
 */
export function artifactUri(f: Finding): string {
  const { service, type } = serviceAndType(f.resource.type, f.resource.arn);
  return ['aws', f.accountId, f.region || GLOBAL_REGION, service, type, f.resource.name].map(encodeSegment).join('/');
}

/** `AWS::CloudTrail::Trail` → cloudtrail/trail; `AWS::::Account` → the ARN's service (iam)/account. */
function serviceAndType(resourceType: string, arn: string): { service: string; type: string } {
  const parts = resourceType.split('::');
  const arnService = parseArn(arn)?.service;
  if (parts.length === 3) {
    return { service: (parts[1] || arnService || 'aws').toLowerCase(), type: (parts[2] || 'resource').toLowerCase() };
  }
  return { service: (arnService || 'aws').toLowerCase(), type: (resourceType || 'resource').toLowerCase() };
}

function encodeSegment(segment: string): string {
  if (segment === '') return '_';
  // `.` and `..` are path navigation, not names.
  if (segment === '.' || segment === '..') return segment.replace(/\./g, '%2E');
  // encodeURIComponent throws URIError on a lone surrogate (one in a resource name broke the writer).
  return encodeURIComponent(wellFormed(segment));
}

/**
 * The run's logical locations, organization → account → region → resource, linked by
 * `parentIndex`; each resource's `fullyQualifiedName` is its ARN. Results point at their resource
 * by `index`.
 */
export class LogicalLocations {
  readonly all: SarifLogicalLocation[] = [];
  private readonly indexByKey = new Map<string, number>();

  constructor(private readonly organizationId: string | undefined) {}

  resource(f: Finding): SarifLogicalLocation {
    const org = this.organizationId
      ? this.intern(`o\u0000${this.organizationId}`, { name: this.organizationId, fullyQualifiedName: this.organizationId, kind: 'organization' })
      : undefined;
    const accountFqn = this.organizationId ? `${this.organizationId}/${f.accountId}` : f.accountId;
    const account = this.intern(`a\u0000${f.accountId}`, { name: f.accountId, fullyQualifiedName: accountFqn, kind: 'account' }, org);
    const region = f.region || GLOBAL_REGION;
    const regionNode = this.intern(
      `r\u0000${f.accountId}\u0000${region}`,
      { name: region, fullyQualifiedName: `${accountFqn}/${region}`, kind: 'region' },
      account,
    );
    const index = this.intern(
      `x\u0000${f.accountId}\u0000${region}\u0000${f.resource.arn}`,
      { name: f.resource.name, fullyQualifiedName: f.resource.arn, kind: 'resource' },
      regionNode,
    );
    return { index, name: f.resource.name, fullyQualifiedName: f.resource.arn, kind: 'resource' };
  }

  private intern(key: string, loc: SarifLogicalLocation, parentIndex?: number): number {
    const existing = this.indexByKey.get(key);
    if (existing !== undefined) return existing;
    const index = this.all.length;
    this.all.push(parentIndex === undefined ? loc : { ...loc, parentIndex });
    this.indexByKey.set(key, index);
    return index;
  }
}
