import type { WorldManagedPolicy } from './types.js';

/**
 * A few AWS managed policies, abridged (the real ReadOnlyAccess lists hundreds of actions): enough for
 * the IAM evaluator to tell an administrator from a reader. Worlds can add more under `awsManagedPolicies`.
 */
export const BUILTIN_AWS_MANAGED_POLICIES: WorldManagedPolicy[] = [
  {
    name: 'AdministratorAccess',
    id: 'ANPAIWMBCKSKIEE64ZLYK',
    description: 'Provides full access to AWS services and resources.',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  },
  {
    name: 'ReadOnlyAccess',
    id: 'ANPAILL3HVNFSB6DCOWYQ',
    description: 'Provides read-only access to AWS services and resources (abridged in the simulator).',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['cloudtrail:Describe*', 'cloudtrail:Get*', 'cloudtrail:List*', 'cloudtrail:LookupEvents', 's3:Get*', 's3:List*', 'kms:Describe*', 'kms:Get*', 'kms:List*', 'iam:Get*', 'iam:List*', 'organizations:Describe*', 'organizations:List*', 'ec2:Describe*'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'SecurityAudit',
    id: 'ANPAIX2T3QCXHR2OGGCTO',
    description: 'The security audit template grants access to read security configuration metadata (abridged in the simulator).',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors', 'cloudtrail:GetInsightSelectors', 'cloudtrail:ListTrails', 's3:GetBucket*', 's3:GetAccountPublicAccessBlock', 's3:GetEncryptionConfiguration', 's3:GetLifecycleConfiguration', 's3:ListAllMyBuckets', 'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'iam:GetAccountAuthorizationDetails', 'organizations:Describe*', 'organizations:List*', 'ec2:DescribeRegions'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'ViewOnlyAccess',
    path: '/job-function/',
    id: 'ANPAID22R6XPJATWOFDK6',
    description: 'This policy grants permissions to view resources and basic metadata across all AWS services (abridged in the simulator).',
    document: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['cloudtrail:DescribeTrails', 'cloudtrail:ListTrails', 's3:ListAllMyBuckets', 'kms:ListKeys', 'iam:List*', 'organizations:List*', 'ec2:DescribeRegions'], Resource: '*' }],
    },
  },
  {
    // The service-linked role policy of AWSServiceRoleForCloudTrail (abridged: the Organizations and
    // Glue statements are left out). Only CloudTrail can assume the role it is attached to.
    name: 'CloudTrailServiceRolePolicy',
    path: '/aws-service-role/',
    id: 'ANPAJXQJY5OX4ZMG4AJJA',
    description: 'Permission policy for CloudTrail ServiceLinkedRole (abridged in the simulator).',
    document: { Version: '2012-10-17', Statement: [{ Sid: 'CloudTrailFullAccess', Effect: 'Allow', Action: ['cloudtrail:*'], Resource: '*' }] },
  },
];

/** The service-linked role CloudTrail creates in the account that owns an organization trail. */
export const CLOUDTRAIL_SERVICE_LINKED_ROLE = {
  name: 'AWSServiceRoleForCloudTrail',
  path: '/aws-service-role/cloudtrail.amazonaws.com/',
  description: 'Service-linked role for CloudTrail',
  trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
  managedPolicies: ['arn:aws:iam::aws:policy/aws-service-role/CloudTrailServiceRolePolicy'],
};
