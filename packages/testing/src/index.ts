/**
 * @trailwarden/testing — build realistic snapshots in a few lines and test checks the way ESLint's
 * RuleTester tests rules. Every builder starts from a compliant default, so a test states only what
 * it breaks.
 */
export { unreadable, isUnreadable, type Unreadable } from './builders/unreadable.js';
export { classicSelectors, advancedSelectors } from './builders/selectors.js';
export { historyEvent, type EventHistoryInput, type HistoryEventInput } from './builders/event-history.js';
export { trail, type TrailInput, type TrailSpec } from './builders/trail.js';
export { eventDataStore, type EventDataStoreInput, type EventDataStoreSpec } from './builders/event-data-store.js';
export { bucket, aclGrants, cloudTrailBucketPolicy, type BucketInput, type BucketSpec, type ObjectLockInput } from './builders/bucket.js';
export { kmsKey, cloudTrailKeyPolicy, type KmsKeyInput, type KmsKeySpec } from './builders/key.js';
export {
  iamUser,
  iamRole,
  iamGroup,
  managedPolicy,
  policy,
  allow,
  deny,
  type IamInput,
  type IamUserInput,
  type IamRoleInput,
  type IamGroupInput,
  type ManagedPolicyInput,
  type InlinePolicies,
  type PolicyRef,
  type IamUserSpec,
  type IamRoleSpec,
  type IamGroupSpec,
  type ManagedPolicySpec,
} from './builders/iam.js';
export { organization, type OrganizationInput, type OrganizationSpec, type OrgPolicyInput, type OuInput } from './builders/organization.js';
export { account, type AccountInput, type AccountSpec } from './builders/account.js';
export { snapshot, DEFAULT_COLLECTED_AT, DEFAULT_REGIONS, type SnapshotInput } from './builders/snapshot.js';
export { runCheck, evaluateCheck, loadCheckForTest, SystemClockRead, type RunCheckOptions, type OptionsOf, type MessageIdsOf } from './run-check.js';
export {
  CheckTester,
  CheckTestFailure,
  runCase,
  assertCase,
  formatFindings,
  type CheckTesterOptions,
  type CheckTestCases,
  type ValidCase,
  type InvalidCase,
  type ExpectedFinding,
} from './check-tester.js';
export { sampleScan, sampleSnapshot, SAMPLE_CHECKS, HOSTILE_TEXT, type SampleScanOptions } from './sample-scan.js';
