import type {
  IamData,
  IamManagedPolicy,
  IamRole,
  IamUser,
  JsonValue,
  Known,
  OrganizationPolicy,
  PolicyDocument,
  Snapshot,
} from '@trailwarden/core';

/** Small builders for evaluator tests: just enough of the Snapshot model to exercise IAM logic. */
export const MGMT = '111111111111';
export const A = '222222222222';
export const B = '333333333333';
export const OUTSIDE = '999999999999';
export const ORG_ID = 'o-abc123';

export function doc(...statements: JsonValue[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

export const allowAll = { Effect: 'Allow', Action: '*', Resource: '*' };

export function user(account: string, name: string, extra: Partial<IamUser> = {}): IamUser {
  return { arn: `arn:aws:iam::${account}:user/${name}`, name, id: `AIDA${name.toUpperCase()}`, path: '/', groups: [], attachedPolicies: [], inlinePolicies: [], tags: [], ...extra };
}

export function role(account: string, name: string, extra: Partial<IamRole> = {}): IamRole {
  const path = extra.path ?? '/';
  return {
    arn: `arn:aws:iam::${account}:role${path}${name}`, name, id: `AROA${name.toUpperCase()}`, path,
    assumeRolePolicy: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }),
    attachedPolicies: [], inlinePolicies: [], tags: [], ...extra,
  };
}

export function managed(account: string, name: string, document: PolicyDocument): IamManagedPolicy {
  return { arn: `arn:aws:iam::${account}:policy/${name}`, name, id: `ANPA${name.toUpperCase()}`, path: '/', document };
}

export function iam(data: Partial<IamData>): Known<IamData> {
  return { value: { users: [], groups: [], roles: [], policies: [], ...data } };
}

export function scp(id: string, targets: string[], document: PolicyDocument, name = id): OrganizationPolicy {
  return { id, name, arn: `arn:aws:organizations::${MGMT}:policy/${ORG_ID}/service_control_policy/${id}`, awsManaged: false, document, targets };
}

export const FULL_ACCESS = (targets: string[]) => ({ ...scp('p-FullAWSAccess', targets, doc(allowAll), 'FullAWSAccess'), awsManaged: true });

export interface SnapOptions {
  iam: Record<string, Known<IamData>>;
  scps?: OrganizationPolicy[] | Known<OrganizationPolicy[]>;
  rcps?: OrganizationPolicy[];
  /** Leave out the organization (single-account scan). */
  noOrg?: boolean;
}

/** Root r-1 → ou-1 → accounts A and B; MGMT under the root. */
export function snapshot(o: SnapOptions): Snapshot {
  const ids = Object.keys(o.iam);
  const scps: Known<OrganizationPolicy[]> = Array.isArray(o.scps) ? { value: o.scps } : o.scps ?? { value: [] };
  return {
    schemaVersion: '1.0',
    collectedAt: '2026-01-01T00:00:00Z',
    partition: 'aws',
    sections: ['organization', 'iam'],
    scope: { mode: 'fixture', accounts: ids, regions: [] },
    organization: o.noOrg
      ? undefined
      : {
          value: {
            id: ORG_ID,
            managementAccountId: MGMT,
            roots: [{ id: 'r-1', name: 'Root' }],
            ous: [{ id: 'ou-1', name: 'Workloads', parentId: 'r-1' }],
            accounts: [
              { id: MGMT, name: 'mgmt', status: 'ACTIVE', ouPath: ['r-1'] },
              { id: A, name: 'a', status: 'ACTIVE', ouPath: ['r-1', 'ou-1'] },
              { id: B, name: 'b', status: 'ACTIVE', ouPath: ['r-1', 'ou-1'] },
            ],
            policies: { scp: scps, rcp: { value: o.rcps ?? [] } },
          },
        },
    accounts: Object.fromEntries(ids.map((id) => [id, { id, access: { value: { via: 'role' as const } }, iam: o.iam[id] }])),
  };
}
