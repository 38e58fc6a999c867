import type { AccountSnapshot, SnapshotSection, Trail } from '@trailwarden/core';
import { compareStrings } from '../arn.js';
import type { Metrics } from '../pacing/metrics.js';
import { forEachLimit } from '../pool.js';
import type { AccountSession } from '../session.js';
import { readTrailDetails } from './trails.js';

/** A trail another account owns (an organization trail), as one scanned account listed it. */
export interface Sighting {
  accountId: string;
  /** That account's record of the trail: details read from there are stored on it. */
  trail: Trail;
  /** The regions where that account's DescribeTrails listed the trail. */
  regions: string[];
}

export interface ForeignTrailInput {
  /** Trail ARN → the accounts (other than its owner) that listed it. */
  sightings: ReadonlyMap<string, Sighting[]>;
  accounts: Readonly<Record<string, AccountSnapshot>>;
  callerId: string;
  /** The CloudTrail delegated administrators (read only when a reader is needed). */
  cloudTrailAdmins: () => Promise<ReadonlySet<string>>;
  sessionFor: (accountId: string) => AccountSession;
  sections: ReadonlySet<SnapshotSection>;
  metrics: Metrics;
  concurrency: number;
}

const DETAIL_KEYS = ['status', 'eventSelectors', 'insightSelectors'] as const;

/**
 * The details of trails whose owner did not read them: the owner is not scanned, or could not be
 * read (no OrganizationAccountAccessRole in the management account is the usual case). Each is read
 * once, by ARN, from one account that lists it — the caller first, then a CloudTrail delegated
 * administrator, then the lowest account id. Any member may read an organization trail's status;
 * only the delegated administrator may read its selectors (a member gets
 * CloudTrailARNInvalidException), so from anyone else they are left unread, and the checks say the
 * owner is out of reach.
 */
export async function readForeignTrailDetails(input: ForeignTrailInput): Promise<void> {
  const pending = [...input.sightings].filter(([arn, seen]) => seen.length > 0 && !ownerRead(input.accounts, arn, seen[0]!.trail.ownerAccountId)).sort((a, b) => compareStrings(a[0], b[0]));
  if (pending.length === 0) return;
  const admins = await input.cloudTrailAdmins();
  const rank = (s: Sighting) => (s.accountId === input.callerId ? 0 : admins.has(s.accountId) ? 1 : 2);
  await forEachLimit(pending, input.concurrency, async ([, seen]) => {
    const reader = [...seen].sort((a, b) => rank(a) - rank(b) || compareStrings(a.accountId, b.accountId))[0]!;
    const session = input.sessionFor(reader.accountId);
    try {
      await readTrailDetails(session, reader.trail, input.sections, input.metrics, {
        statusRegions: reader.trail.isMultiRegionTrail ? reader.regions : [],
        selectors: admins.has(reader.accountId),
      });
    } finally {
      session.close();
    }
  });
}

/** The owner was scanned, its trails were listed, and its record of this trail carries details. */
function ownerRead(accounts: Readonly<Record<string, AccountSnapshot>>, arn: string, owner: string): boolean {
  const own = accounts[owner];
  if (!own || own.access.error || !own.trails?.value) return false;
  const record = own.trails.value.find((t) => t.arn === arn);
  return record !== undefined && DETAIL_KEYS.some((k) => record[k] !== undefined);
}
