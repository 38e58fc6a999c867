/** The verifier's result: per trail, per account and source region (a "chain"). JSON-safe. */

export type FileStatus = 'valid' | 'INVALID' | 'UNVERIFIED' | 'ERROR';

export interface FileResult {
  kind: 'digest' | 'log';
  /** Listed by (or is) a backfill digest. */
  backfill: boolean;
  bucket: string;
  key: string;
  status: FileStatus;
  /** The aws-cli wording after `INVALID: ` (e.g. `not found`, `hash value doesn't match`). */
  reason?: string;
}

export interface Window {
  start: string;
  end: string;
}

export interface Gap extends Window {
  hours: number;
  /** `chain-restart`: the newer side is a starting digest (logging or validation was off); `unexplained`: digests are missing or invalid. */
  label: 'chain-restart' | 'unexplained';
  explanation: string;
}

export interface LinkIssue {
  /** The newer digest, whose `previous*` fields do not match the older one. */
  newer: string;
  older: string;
  field: 'previousDigestHashValue' | 'previousDigestSignature' | 'digestStartTime';
}

export interface UnreferencedLog {
  bucket: string;
  key: string;
  time: string;
  /** `injected`: inside a verified window yet in no digest; `in-gap`: delivered while validation was off, or its digest is gone. */
  likely: 'injected' | 'in-gap';
}

export interface Counts {
  valid: number;
  invalid: number;
  unverified: number;
  error: number;
}

export interface ChainResult {
  accountId: string;
  region: string;
  /** `[prefix/]AWSLogs/[o-id/]<account>/` */
  base: string;
  digests: Counts;
  backfillDigests: Counts;
  logs: Counts;
  /** The covered period: merged windows of valid digests (and UNVERIFIED ones, offline without metadata), clipped to the request. */
  windows: Window[];
  gaps: Gap[];
  links: LinkIssue[];
  unreferenced: UnreferencedLog[];
  /** Non-valid files always; valid ones only when asked for (verbose). */
  files: FileResult[];
  /** The digests' range found (clamped to the request), absent when none. */
  found?: Window;
  notes: string[];
}

export interface TrailIntegrity {
  trailArn: string;
  trailName: string;
  homeRegion: string;
  bucket: string;
  prefix?: string;
  organizationId?: string;
  from: string;
  to: string;
  chains: ChainResult[];
  /** Whole-trail failures (e.g. the bucket cannot be listed). */
  errors: string[];
}

export interface VerifyLogsResult {
  schemaVersion: '1';
  source: string;
  from: string;
  to: string;
  trails: TrailIntegrity[];
  totals: { digests: Counts; backfillDigests: Counts; logs: Counts; gaps: number; unexplainedGaps: number; linkIssues: number; unreferenced: number; errors: number };
}

export const emptyCounts = (): Counts => ({ valid: 0, invalid: 0, unverified: 0, error: 0 });
