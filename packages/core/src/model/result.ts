import type { KnownError } from './known.js';
import type { Automation, PackAutomation } from '../packs/types.js';
import type { ScanSummary } from '../summary/summary.js';
import type { JsonValue, Partition } from './snapshot.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['PASS', 'FAIL', 'ERROR', 'NOT_APPLICABLE'] as const;
export type Status = (typeof STATUSES)[number];

/** Region value for resources that are not regional (accounts, IAM principals, organization). */
export const GLOBAL_REGION = 'global';

export interface ResourceRef {
  arn: string;
  /** CloudFormation-style type, e.g. `AWS::CloudTrail::Trail`, `AWS::S3::Bucket`, `AWS::::Account`. */
  type: string;
  name: string;
  accountId: string;
  region: string;
}

/** `{ 'cis-aws-3.0.0': ['3.2'], 'aws-fsbp': ['CloudTrail.4'] }` */
export type FrameworkMap = Record<string, string[]>;

export interface Finding {
  checkId: string;
  status: Status;
  severity: Severity;
  accountId: string;
  region: string;
  resource: { arn: string; type: string; name: string };
  message: string;
  /**
   * The message id the check used (stable across wording changes); `core.*` ids are the engine's
   * own (see CORE_MESSAGES). Absent only on ERRORs of plugin API v1 checks (`ctx.error`).
   */
  messageId?: string;
  /** The data the message was formatted with, so tools and tests read values, not prose. */
  data?: Record<string, string | number | boolean>;
  evidence: Record<string, JsonValue>;
  frameworks: FrameworkMap;
  /** Stable hash of (checkId, accountId, region, resource ARN). */
  fingerprint: string;
  exception?: AppliedException;
}

export interface AppliedException {
  id: string;
  reason: string;
  approver: string;
  expires: string;
}

export interface CoverageError extends KnownError {
  accountId: string;
  /** Where in the snapshot the error sits, e.g. `accounts.111122223333.buckets.logs.policy`. */
  path: string;
}

export interface AccountCoverage {
  accountId: string;
  name?: string;
  /** `read`: everything read; `partial`: some reads failed; `failed`: the account could not be read. */
  status: 'read' | 'partial' | 'failed';
  regions: { name: string; status: 'read' | 'failed'; error?: string }[];
  errorCount: number;
}

export interface Coverage {
  accounts: AccountCoverage[];
  errors: CoverageError[];
  /** True when every account and region in scope was read without error. */
  complete: boolean;
}

export interface CheckSummary {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  resourceType: string;
  frameworks: FrameworkMap;
  remediation: Remediation;
  docs?: string;
  helpUri?: string;
  plugin: { name: string; version?: string };
  options: Record<string, JsonValue>;
  counts: Record<Status, number>;
  /** Set when the check could not run (threw, timed out, required data missing). */
  error?: string;
}

export interface Remediation {
  text: string;
  cli?: string;
  terraform?: string;
}

export interface ExceptionReport {
  id: string;
  check: string;
  accounts: string[];
  resource: string;
  reason: string;
  approver: string;
  expires: string;
  state: 'active' | 'expired';
  /** Findings the exception matched (for expired ones: findings it would have excepted). */
  matched: number;
  /** Whole days from the scan's `now` to the end of the last day (0 on the last day); negative once expired. */
  daysLeft?: number;
  /** Active, and its last day is within EXPIRING_SOON_DAYS: renew or fix it before it lapses. */
  expiresSoon?: boolean;
}

/** What produced a result, so an auditor can tell (endpoint, config, snapshot, plugins). */
export interface Provenance {
  /** The AWS endpoint override (`--endpoint-url` / `AWS_ENDPOINT_URL`); absent for real AWS endpoints. */
  endpoint?: string;
  /** The config file, if one was loaded. */
  configPath?: string;
  /** `sha256:` of the effective config (canonical JSON; `{}` when none). */
  configDigest: string;
  /** `sha256:` of the snapshot evaluated (canonical JSON). */
  snapshotDigest: string;
  /** Every plugin loaded: built in and from the config. */
  plugins: { name: string; version?: string; path: string; builtin: boolean }[];
  /** IAM actions allowed beyond the built-in allow-list (`collection.allow`). */
  collectionAllow?: string[];
  /** Why the scan stopped early, when it did (overall --timeout). */
  stopped?: string;
}

export interface ControlStatus {
  id: string;
  title: string;
  /** How far trailwarden judges the control (from its pack). */
  automation: Automation;
  /** For partly automated and manual controls: what the checks do not cover. */
  gap?: string;
  /** The checks of this run that judge it. */
  checks: string[];
  /**
   * Worst status among the findings of the control's checks (ignoring excepted findings);
   * `MANUAL` when no check judges it (never PASS); `NOT_RUN` when its checks were left out of the run.
   */
  status: Status | 'NO_FINDINGS' | 'MANUAL' | 'NOT_RUN';
  counts: Record<Status, number>;
}

export interface FrameworkReport {
  id: string;
  title: string;
  version?: string;
  /** The part of the framework its pack covers. */
  scope?: string;
  /** "N of M controls in scope automated": the pack's controls by automation. */
  automation: PackAutomation;
  controls: ControlStatus[];
}

export interface ScanResult {
  tool: { name: string; version: string };
  scan: {
    startedAt: string;
    finishedAt: string;
    collectedAt: string;
    partition: Partition;
    mode: 'organization' | 'single-account' | 'fixture';
    organizationId?: string;
    accounts: { id: string; name?: string; ouPath?: string[] }[];
    regions: string[];
    notes: string[];
  };
  coverage: Coverage;
  checks: CheckSummary[];
  findings: Finding[];
  exceptions: ExceptionReport[];
  frameworks: FrameworkReport[];
  /** Counts, worst checks and completeness, computed once by core (`summarize`); every report shows these. */
  summary: ScanSummary;
  /** Set by the CLI: what produced this result. */
  provenance?: Provenance;
  /** Set when strings were cut for the reports (see engine/bounds.ts). */
  limits?: { maxStringChars: number; truncatedStrings: number };
}
