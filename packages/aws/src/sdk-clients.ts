// The SDK client classes beyond STS, in one module that the collector imports only once the first
// call (sts:GetCallerIdentity) is on its way: loading them is most of a scan's start-up time.
export { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
export { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
export { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
export { EC2Client } from '@aws-sdk/client-ec2';
export { EventBridgeClient } from '@aws-sdk/client-eventbridge';
export { IAMClient } from '@aws-sdk/client-iam';
export { KMSClient } from '@aws-sdk/client-kms';
export { OrganizationsClient } from '@aws-sdk/client-organizations';
export { S3Client } from '@aws-sdk/client-s3';
export { S3ControlClient } from '@aws-sdk/client-s3-control';
export { SNSClient } from '@aws-sdk/client-sns';
