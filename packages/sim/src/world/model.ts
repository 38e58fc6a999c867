/** The world as the server uses it: defaults applied, ids and ARNs filled in, indexes built. */
import type {
  WorldAccount,
  WorldBucket,
  WorldIamGroup,
  WorldIamRole,
  WorldIamUser,
  WorldKmsKey,
  WorldManagedPolicy,
  WorldPublicAccessBlock,
  WorldTrail,
} from './types.js';

export interface RegionModel {
  name: string;
  optIn: boolean;
}

export interface OuModel {
  id: string;
  arn: string;
  name: string;
  path: string;
  parentId: string;
}

export interface OrgTarget {
  TargetId: string;
  Arn: string;
  Name: string;
  Type: 'ACCOUNT' | 'ORGANIZATIONAL_UNIT' | 'ROOT';
}

export interface OrgPolicyModel {
  id: string;
  arn: string;
  name: string;
  type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';
  description: string;
  content: string;
  awsManaged: boolean;
  targets: OrgTarget[];
}

export interface DelegatedAdminModel {
  accountId: string;
  servicePrincipal: string;
  delegationEnabledDate: string;
}

export interface OrgModel {
  id: string;
  arn: string;
  featureSet: 'ALL' | 'CONSOLIDATED_BILLING';
  managementAccountId: string;
  rootId: string;
  rootArn: string;
  ous: OuModel[];
  policies: OrgPolicyModel[];
  delegatedAdministrators: DelegatedAdminModel[];
  /** The Organizations resource-based delegation policy, as JSON text. */
  resourcePolicy?: string;
}

export interface TrailModel extends WorldTrail {
  arn: string;
  ownerId: string;
}

export interface BucketModel extends WorldBucket {
  ownerId: string;
}

export interface KeyModel extends WorldKmsKey {
  arn: string;
  ownerId: string;
  policyText: string;
}

export interface ManagedPolicyModel extends WorldManagedPolicy {
  arn: string;
  id: string;
  path: string;
  versions: { id: string; document: string; default: boolean; createDate: string }[];
  awsManaged: boolean;
}

export interface IamUserModel extends WorldIamUser {
  arn: string;
  id: string;
  path: string;
  managedPolicyArns: string[];
}
export interface IamGroupModel extends WorldIamGroup {
  arn: string;
  id: string;
  path: string;
  managedPolicyArns: string[];
}
export interface IamRoleModel extends WorldIamRole {
  arn: string;
  id: string;
  path: string;
  trustPolicyText: string;
  managedPolicyArns: string[];
}

export interface IamModel {
  users: IamUserModel[];
  groups: IamGroupModel[];
  roles: IamRoleModel[];
  /** Customer managed policies of this account. */
  policies: ManagedPolicyModel[];
}

export interface AccountModel {
  source: WorldAccount;
  id: string;
  name: string;
  email: string;
  status: string;
  parentId: string | undefined;
  joinedTimestamp: string;
  enabledRegions: Set<string>;
  deniedRegions: Set<string>;
  trails: TrailModel[];
  buckets: BucketModel[];
  publicAccessBlock: WorldPublicAccessBlock | null;
  keys: KeyModel[];
  iam: IamModel;
}

export interface CallerModel {
  accountId: string;
  arn: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SimModel {
  partition: string;
  regions: RegionModel[];
  org: OrgModel | undefined;
  accounts: Map<string, AccountModel>;
  /** Globally unique bucket names, as in S3. */
  buckets: Map<string, BucketModel>;
  /** Every KMS key by ARN. */
  keysByArn: Map<string, KeyModel>;
  awsManagedPolicies: Map<string, ManagedPolicyModel>;
  caller: CallerModel;
  /** Every organization trail, whichever account owns it. */
  orgTrails: TrailModel[];
  /** Accounts sorted by id (Organizations list order). */
  sortedAccounts: AccountModel[];
}
