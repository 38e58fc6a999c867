import { type AccountView, type Evidence, type KnownError, type TrailView, defineCheck, describeKnownError, describeStore, lakeCoverage } from '@trailwarden/core';

const messages = {
  byOrgTrail: 'Account {{account}} is covered by organization trail {{trail}} (owned by {{owner}}), which is multi-region and logging.',
  byOwnTrail: 'Account {{account}} is covered by its own multi-region trail {{trail}}, which is logging.',
  uncovered:
    'Account {{account}} is covered neither by a logging multi-region organization trail nor by a logging multi-region trail of its own ({{reasons}}).{{lake}} Fix: {{fix}}',
} as const;
type MessageId = keyof typeof messages;

interface Candidate {
  view: TrailView;
  /** The one-line commands that would make this trail cover the account. */
  fixes: string[];
  kind: 'org' | 'own' | 'other';
  problems: string[];
  unknown: KnownError[];
}

/**
 * org-trail-coverage: one finding per scanned account — covered by an organization trail or by its
 * own multi-region, logging trail. What the covering trail records is trail-multi-region's business;
 * this check answers "is any trail watching this account at all?". The management account's
 * finding lists every uncovered scanned account as evidence.
 */
export default defineCheck<Record<string, never>, MessageId>({
  id: 'org-trail-coverage',
  meta: {
    title: 'Every account is covered by an organization trail or its own multi-region trail',
    description:
      'Every account of the organization must be covered by a logging, multi-region trail: ideally the organization trail (which new accounts inherit automatically), otherwise a multi-region trail of its own. An account no trail covers is a blind spot for investigations.',
    severity: 'high',
    resource: 'AWS::::Account',
    remediation: {
      text: 'Create a multi-region organization trail from the management account (or the CloudTrail delegated administrator) and keep it logging; it covers every member account, present and future.',
      cli: [
        'aws organizations enable-aws-service-access --service-principal cloudtrail.amazonaws.com',
        'aws cloudtrail create-trail --name org-trail --s3-bucket-name <log-archive-bucket> --is-organization-trail --is-multi-region-trail --enable-log-file-validation',
        'aws cloudtrail start-logging --name org-trail',
      ].join('\n'),
      terraform: [
        'resource "aws_cloudtrail" "org" {',
        '  name                       = "org-trail"',
        '  s3_bucket_name             = "<log-archive-bucket>"',
        '  is_organization_trail      = true',
        '  is_multi_region_trail      = true',
        '  enable_logging             = true',
        '  enable_log_file_validation = true',
        '}',
      ].join('\n'),
    },
    docs: 'README.md',
    messages,
  },
  requires: ['organization', 'trails', 'trailStatus', 'eventDataStores'],
  evaluate(ctx) {
    const verdicts: { account: AccountView; covered: boolean | null }[] = [];
    const pending: { account: AccountView; report: () => void }[] = [];
    const later = (account: AccountView, report: () => void) => pending.push({ account, report });
    ctx.forEachAccount((account) => {
      const name = account.name && account.name !== account.id ? `${account.name} (${account.id})` : account.id;
      const trails = account.applicableTrails();
      if (trails.error) {
        verdicts.push({ account, covered: null });
        later(account, () => ctx.error(account.resource, trails.error));
        return;
      }
      const candidates = [...trails.value]
        .sort((a, b) => (a.trail.arn < b.trail.arn ? -1 : a.trail.arn > b.trail.arn ? 1 : 0))
        .map((t) => judge(t, account.id));
      const evidence = (): Evidence => ({
        trails: candidates.map((c) => ({
          arn: c.view.trail.arn,
          name: c.view.trail.name,
          ownerAccountId: c.view.trail.ownerAccountId,
          isOrganizationTrail: c.view.trail.isOrganizationTrail,
          verdict:
            c.problems.length === 0 && c.unknown.length === 0
              ? 'covers'
              : c.problems.length > 0
                ? c.problems.join(', ')
                : `unknown: ${c.unknown.map(describeKnownError).join('; ')}`,
        })),
        ...(account.isManagementAccount
          ? {
              uncoveredAccounts: uncoveredList(),
              // Organization accounts outside the scan: covered only if the organization trail is.
              unscannedAccounts: unscannedList(),
              unscannedCoveredByOrganizationTrail: org !== undefined,
            }
          : {}),
      });
      const org = candidates.find((c) => c.kind === 'org' && c.problems.length === 0 && c.unknown.length === 0);
      const own = candidates.find((c) => c.kind === 'own' && c.problems.length === 0 && c.unknown.length === 0);
      if (org) {
        verdicts.push({ account, covered: true });
        later(account, () =>
          ctx.pass(account.resource, 'byOrgTrail', { account: name, trail: org.view.trail.name, owner: org.view.trail.ownerAccountId }, evidence()),
        );
        return;
      }
      if (own) {
        verdicts.push({ account, covered: true });
        later(account, () => ctx.pass(account.resource, 'byOwnTrail', { account: name, trail: own.view.trail.name }, evidence()));
        return;
      }
      const undecided = candidates.filter((c) => c.kind !== 'other' && c.problems.length === 0 && c.unknown.length > 0);
      if (undecided.length > 0) {
        verdicts.push({ account, covered: null });
        const why = undecided.map((c) => `trail ${c.view.trail.name}: ${c.unknown.map(describeKnownError).join('; ')}`).join(' | ');
        later(account, () =>
          ctx.error(account.resource, `Cannot decide whether account ${name} is covered by a trail: no trail qualifies on what could be read, and ${why}.`, evidence()),
        );
        return;
      }
      verdicts.push({ account, covered: false });
      const relevant = candidates.filter((c) => c.kind !== 'other');
      // A multi-region trail (own or organization) is listed in every region, so a region whose
      // listing failed hides only single-region trails: the verdict stands, the message says so.
      const unlisted = Object.entries(account.data.trailListing ?? {})
        .filter(([, k]) => k.error !== undefined)
        .map(([region, k]) => `region ${region}: ${k.error?.code}`)
        .sort();
      const unlistedNote = unlisted.length > 0 ? `; DescribeTrails failed in ${unlisted.join(', ')}, so single-region trails homed there are unknown` : '';
      const reasons =
        (relevant.length === 0
          ? unlisted.length > 0
            ? 'no organization trail applies to it and no multi-region trail of its own is listed in any region that could be read'
            : 'no organization trail applies to it and it has no trail of its own'
          : relevant.map((c) => `${c.view.trail.name}: ${c.problems.join(', ')}`).join('; ')) + unlistedNote;
      // CloudTrail Lake: an event data store recording the account's management events is named (a
      // trail is still required); unreadable store listings make "nothing records it" unknown.
      const lake = lakeCoverage(ctx.snapshot, account.id, ctx.selectors);
      const recording = lake.stores.filter((s) => s.recordsAllManagementEvents).map((s) => describeStore(s.store));
      const lakeNote =
        recording.length > 0
          ? ` Its management events are recorded by ${recording.join(' and ')}, but no trail covers it (an event data store delivers no log files).`
          : lake.unknown.length > 0
            ? ` Whether a CloudTrail Lake event data store records its management events is unknown (${lake.unknown.map(describeKnownError).join('; ')}).`
            : '';
      const lakeEvidence = (): Evidence => ({
        ...evidence(),
        ...(lake.stores.length > 0 ? { eventDataStores: lake.stores.map((s) => s.evidence) } : {}),
        ...(lake.unknown.length > 0 ? { eventDataStoresUnknown: lake.unknown.map(describeKnownError) } : {}),
      });
      later(account, () => ctx.fail(account.resource, 'uncovered', { account: name, reasons, lake: lakeNote, fix: fixFor(relevant, account.id) }, lakeEvidence()));
    });
    // Findings are reported once every account is judged, so the management account's evidence
    // can list all uncovered accounts.
    for (const { account, report } of pending) ctx.isolate(account.resource, report);

    function unscannedList(): string[] {
      const members = ctx.snapshot.organization?.value?.accounts ?? [];
      return members
        .filter((a) => !ctx.snapshot.accounts[a.id] && a.status === 'ACTIVE')
        .map((a) => a.id)
        .sort();
    }

    function uncoveredList(): string[] {
      return verdicts.filter((v) => v.covered === false).map((v) => v.account.id).sort();
    }
  },
});

function judge(view: TrailView, accountId: string): Candidate {
  const { trail } = view;
  // A trail owned by another account covers this one only if it is an organization trail.
  const kind = trail.isOrganizationTrail ? 'org' : trail.ownerAccountId === accountId ? 'own' : 'other';
  const problems: string[] = [];
  const fixes: string[] = [];
  const unknown: KnownError[] = [];
  if (kind === 'other') problems.push(`owned by ${trail.ownerAccountId} and not an organization trail`);
  if (!trail.isMultiRegionTrail) {
    problems.push(`single-region (${trail.homeRegion} only)`);
    fixes.push(`aws cloudtrail update-trail --name ${trail.arn} --is-multi-region-trail`);
  }
  const status = view.status();
  if (status.error) unknown.push(status.error);
  else if (!status.value.isLogging) {
    problems.push('not logging');
    fixes.push(`aws cloudtrail start-logging --name ${trail.arn}`);
  }
  return { view, fixes, kind, problems, unknown };
}

/** Fix the candidate closest to covering the account (organization trails first), or create an organization trail. */
function fixFor(candidates: Candidate[], accountId: string): string {
  const rank = (c: Candidate) => c.fixes.length * 2 + (c.kind === 'org' ? 0 : 1);
  const best = candidates
    .filter((c) => c.fixes.length > 0 && c.unknown.length === 0)
    .reduce<Candidate | undefined>((a, c) => (a === undefined || rank(c) < rank(a) ? c : a), undefined);
  if (!best) {
    return 'from the management account, aws cloudtrail create-trail --name org-trail --s3-bucket-name <log-archive-bucket> --is-organization-trail --is-multi-region-trail && aws cloudtrail start-logging --name org-trail';
  }
  const owner = best.view.trail.ownerAccountId;
  return `${best.fixes.join(' && ')}${owner !== accountId ? ` (in account ${owner}, which owns the trail)` : ''}`;
}
