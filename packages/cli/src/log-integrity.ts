/**
 * Which trails `verify-logs` (and `scan --verify-logs`) verify, and running the verifier over S3
 * through the collector's object reads: every trail with log file validation on, once, read in
 * the account that owns its bucket.
 */
import { type CollectOptions, openObjectReads, type ObjectReadOptions } from '@trailwarden/aws';
import type { JsonValue, Snapshot } from '@trailwarden/core';
import { type TrailIntegrity, type TrailToVerify, Verifier, type VerifyOptions } from '@trailwarden/integrity';

export interface PlannedTrail extends TrailToVerify {
  /** Whose credentials read the bucket. */
  readerAccountId: string;
  bucketRegion: string;
}

const HOUR = 3_600_000;

/** `--from`/`--to` (ISO instants); default the last 7 days up to `now`. */
export function timeRange(fromArg: string | undefined, toArg: string | undefined, now: Date): { from: Date; to: Date } | string {
  const to = toArg ? new Date(toArg) : now;
  if (Number.isNaN(to.getTime())) return `--to: "${toArg}" is not an ISO 8601 time (like 2026-11-20T00:00:00Z)`;
  const from = fromArg ? new Date(fromArg) : new Date(to.getTime() - 7 * 24 * HOUR);
  if (Number.isNaN(from.getTime())) return `--from: "${fromArg}" is not an ISO 8601 time (like 2026-11-13T00:00:00Z)`;
  if (from.getTime() >= to.getTime()) return `--from ${from.toISOString()} is not before --to ${to.toISOString()}`;
  return { from, to };
}

/** The trails to verify, from a snapshot with the `trails` and `buckets` sections. */
export function planTrails(snapshot: Snapshot, only?: string[]): { trails: PlannedTrail[]; skipped: string[] } {
  const seen = new Set<string>();
  const trails: PlannedTrail[] = [];
  const skipped: string[] = [];
  const bucketOwner = new Map<string, { accountId: string; region?: string }>();
  for (const a of Object.values(snapshot.accounts)) {
    for (const b of Object.values(a.buckets ?? {})) bucketOwner.set(b.name, { accountId: a.id, ...(b.region.value ? { region: b.region.value } : {}) });
  }
  const orgId = snapshot.organization?.value?.id;
  for (const account of Object.values(snapshot.accounts).sort((x, y) => (x.id < y.id ? -1 : 1))) {
    const unknown = account.access.error ?? account.trails?.error;
    if (unknown) skipped.push(`account ${account.id}: its trails could not be read (${unknown.code}: ${unknown.message}); none of them is verified`);
    for (const t of account.trails?.value ?? []) {
      if (seen.has(t.arn) || t.ownerAccountId !== account.id) continue;
      seen.add(t.arn);
      if (only && !only.includes(t.arn) && !only.includes(t.name)) continue;
      if (!t.logFileValidationEnabled) {
        skipped.push(`${t.arn}: log file validation is off (no digests to verify)`);
        continue;
      }
      if (!t.s3BucketName) {
        skipped.push(`${t.arn}: no S3 bucket`);
        continue;
      }
      const owner = bucketOwner.get(t.s3BucketName);
      const regionsOf = (id: string) => (snapshot.accounts[id]?.regions?.value ?? []).filter((r) => r.enabled).map((r) => r.name);
      const scoped = snapshot.scope.regions.length > 0 ? new Set(snapshot.scope.regions) : undefined;
      const expectedRegions = (t.isMultiRegionTrail ? regionsOf(t.ownerAccountId) : [t.homeRegion]).filter((r) => !scoped || scoped.has(r));
      const organizationId = t.isOrganizationTrail ? orgId : undefined;
      const status = t.status?.value;
      const at = (x: string) => (Number.isNaN(Date.parse(x)) ? x : new Date(x).toISOString().replace(/\.\d{3}Z$/, 'Z'));
      const loggingEvents = [
        ...(status?.stopLoggingTime ? [{ time: at(status.stopLoggingTime), what: 'StopLogging (GetTrailStatus StopLoggingTime)' }] : []),
        ...(status?.startLoggingTime ? [{ time: at(status.startLoggingTime), what: 'StartLogging (GetTrailStatus StartLoggingTime)' }] : []),
      ];
      trails.push({
        trailArn: t.arn,
        trailName: t.name,
        homeRegion: t.homeRegion,
        bucket: t.s3BucketName,
        ...(t.s3KeyPrefix ? { prefix: t.s3KeyPrefix } : {}),
        ...(organizationId ? { organizationId } : {}),
        expectedAccounts: t.isOrganizationTrail ? snapshot.scope.accounts : [t.ownerAccountId],
        expectedRegions,
        // --accounts/--ous/--regions narrow what is verified, as they narrow the scan.
        ...(t.isOrganizationTrail && (snapshot.scope.filters?.accounts || snapshot.scope.filters?.excludeAccounts || snapshot.scope.filters?.ous) ? { accounts: snapshot.scope.accounts } : {}),
        ...(scoped ? { regions: expectedRegions } : {}),
        ...(loggingEvents.length ? { loggingEvents } : {}),
        readerAccountId: owner?.accountId ?? t.ownerAccountId,
        bucketRegion: owner?.region ?? t.homeRegion,
      });
      if (t.isOrganizationTrail && !organizationId) skipped.push(`${t.arn}: organization trail, but the organization id is unknown; its member folders are looked for under AWSLogs/ directly`);
    }
  }
  return { trails, skipped };
}

export interface OnlineRun {
  trails: TrailIntegrity[];
  calls: { total: number; byOperation: Record<string, number>; throttles: number; retries: number };
}

/** Verify planned trails over S3; one Verifier (and key cache) per bucket-owner account. */
export async function verifyOnline(planned: PlannedTrail[], reads: ObjectReadOptions, options: VerifyOptions): Promise<OnlineRun> {
  const opened = await openObjectReads(reads);
  try {
    const verifiers = new Map<string, Verifier>();
    const trails: TrailIntegrity[] = [];
    for (const t of planned) {
      const id = `${t.readerAccountId}|${t.bucketRegion}`;
      let v = verifiers.get(id);
      if (!v) {
        v = new Verifier(opened.readerFor(t.readerAccountId, t.bucketRegion), options);
        verifiers.set(id, v);
      }
      trails.push(await v.verifyTrail(t));
    }
    return { trails, calls: opened.calls() };
  } finally {
    opened.close();
  }
}

/** The collector's AWS settings, for the object reads. */
export function objectReadOptions(o: CollectOptions): ObjectReadOptions {
  return {
    ...(o.endpointUrl ? { endpointUrl: o.endpointUrl } : {}),
    ...(o.region ? { region: o.region } : {}),
    ...(o.profile ? { profile: o.profile } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
    ...(o.roleName ? { roleName: o.roleName } : {}),
    ...(o.externalId ? { externalId: o.externalId } : {}),
  };
}

/**
 * `scan --verify-logs`: verify the last `days` days up to `now` and keep the result in the snapshot
 * (`logIntegrity`, by trail ARN) for the trail-log-integrity check, which judges it purely.
 */
export async function attachLogIntegrity(snapshot: Snapshot, collectOptions: CollectOptions, days: number, now: Date): Promise<void> {
  const { trails } = planTrails(snapshot);
  const range = { from: new Date(now.getTime() - days * 24 * HOUR), to: now };
  const out: Record<string, { value: JsonValue } | { error: { code: string; message: string; operation: string } }> = {};
  try {
    const run = await verifyOnline(trails, objectReadOptions(collectOptions), range);
    for (const t of run.trails) out[t.trailArn] = { value: t as unknown as JsonValue };
  } catch (err) {
    // Could not start at all (no credentials for the object reads): every trail says why.
    for (const t of trails) out[t.trailArn] = { error: { code: 'VerifyLogsFailed', message: (err as Error).message, operation: 'verify-logs' } };
  }
  snapshot.logIntegrity = out;
}
