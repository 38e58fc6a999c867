import { type KnownError, describeKnownError } from '../model/known.js';
import type { Account, TrailView } from '../plugin/api.js';

/**
 * How one trail fares against what a check asks of it ("multi-region and logging", "records this
 * bucket's data events"): it qualifies, it is ruled out (problems, with the commands that would fix
 * them), or something about it could not be read. Checks extend it with their own fields; the
 * helpers below take any extension and keep its type (no type arguments needed).
 */
export interface TrailQualification {
  trail: TrailView;
  /** Why the trail does not qualify, in words ("single-region (eu-west-1 only)"). */
  problems: string[];
  /** One-line commands that would make it qualify (empty when it cannot be fixed in place). */
  fixes: string[];
  /** What could not be read about the trail; with no problems, the verdict is unknown. */
  unknown: KnownError[];
}

/** The trail qualifies on everything that was read, and nothing was unreadable. */
export function qualifies(q: TrailQualification): boolean {
  return q.problems.length === 0 && q.unknown.length === 0;
}

/** Nothing rules the trail out, but something about it could not be read: no verdict either way. */
export function undecided(q: TrailQualification): boolean {
  return q.problems.length === 0 && q.unknown.length > 0;
}

/** `qualifies`, the problems, or `unknown: <what failed>`, for a finding's evidence. */
export function qualificationVerdict(q: TrailQualification): string {
  if (qualifies(q)) return 'qualifies';
  if (q.problems.length > 0) return q.problems.join(', ');
  return `unknown: ${q.unknown.map(describeKnownError).join('; ')}`;
}

/**
 * The fix of the trail closest to qualifying (fewest fixes; the first of equals, so pass them in
 * ARN order), to run in the trail's owner account; `fallback` when no trail can be fixed in place.
 * Trails with unreadable details are not proposed: their fix is not known to be enough. `prefer`
 * breaks ties between equally many fixes (e.g. an organization trail before an account's own).
 */
export function closestFix<Q extends TrailQualification>(
  qualifications: readonly Q[],
  accountId: string,
  fallback: string,
  prefer?: (q: Q) => boolean,
): string {
  let best: Q | undefined;
  for (const q of qualifications) {
    if (q.fixes.length === 0 || q.unknown.length > 0) continue;
    if (best === undefined || q.fixes.length < best.fixes.length) best = q;
    else if (prefer && q.fixes.length === best.fixes.length && prefer(q) && !prefer(best)) best = q;
  }
  if (!best) return fallback;
  const owner = best.trail.trail.ownerAccountId;
  return `${best.fixes.join(' && ')}${owner !== accountId ? ` (in account ${owner}, which owns the trail)` : ''}`;
}

/**
 * What kept each of these (undecided) trails from a verdict, for an ERROR's message:
 * `trail A: <what failed> | trail B: ...`, each failure named once.
 */
export function describeUndecided(undecidedTrails: readonly TrailQualification[]): string {
  return undecidedTrails
    .map((q) => `trail ${q.trail.trail.name}: ${[...new Set(q.unknown.map(describeKnownError))].join('; ')}`)
    .join(' | ');
}

/**
 * The account's regions where DescribeTrails failed, as `region eu-west-1: AccessDenied, ...`
 * (region order); empty when every region was listed. A multi-region trail is listed in every
 * region, so only single-region trails homed there are unknown.
 */
export function describeUnlistedRegions(account: Account): string {
  return account
    .unlistedRegions()
    .map((u) => `region ${u.region}: ${u.error.code}`)
    .join(', ');
}

/**
 * The clause a "no qualifying trail" FAIL appends when some regions could not be listed
 * (`; DescribeTrails failed in region ..., so single-region trails homed there are unknown`), or ''.
 */
export function unlistedRegionsNote(account: Account): string {
  const where = describeUnlistedRegions(account);
  return where ? `; DescribeTrails failed in ${where}, so single-region trails homed there are unknown` : '';
}

/** Trails in ARN order, the order findings and fixes name them in. */
export function byArn<T extends { trail: { arn: string } }>(trails: readonly T[]): T[] {
  return [...trails].sort((a, b) => (a.trail.arn < b.trail.arn ? -1 : a.trail.arn > b.trail.arn ? 1 : 0));
}
