import {
  type Account,
  type Evidence,
  type KnownError,
  type TrailQualification,
  type TrailView,
  byArn,
  closestFix,
  createCheck,
  describeKnownError,
  describeStore,
  describeUndecided,
  lakeCoverageService,
  qualificationVerdict,
  qualifies,
  undecided,
  unlistedRegionsNote,
} from '@trailwarden/core';

const messages = {
  byOrgTrail: 'Account {{account}} is covered by organization trail {{trail}} (owned by {{owner}}), which is multi-region and logging.',
  byOwnTrail: 'Account {{account}} is covered by its own multi-region trail {{trail}}, which is logging.',
  uncovered:
    'Account {{account}} is covered neither by a logging multi-region organization trail nor by a logging multi-region trail of its own ({{reasons}}).{{lake}} Fix: {{fix}}',
  undecided: 'Cannot decide whether account {{account}} is covered by a trail: no trail qualifies on what could be read, and {{why}}.',
} as const;

/** How one trail fares for one account (see TrailQualification), and how it could cover it. */
interface Candidate extends TrailQualification {
  /** A trail owned by another account covers this one only if it is an organization trail. */
  kind: 'org' | 'own' | 'other';
}

/**
 * org-trail-coverage: one finding per scanned account — covered by an organization trail or by its
 * own multi-region, logging trail. What the covering trail records is trail-multi-region's business;
 * this check answers "is any trail watching this account at all?". The management account's
 * finding lists every uncovered scanned account as evidence.
 */
export default createCheck({
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
  requires: ['organization', 'trails', 'trailStatus'],
  // CloudTrail Lake only changes what a FAIL says; a snapshot without it is judged, saying Lake is unknown.
  uses: ['eventDataStores'],
  evaluate(ctx) {
    const verdicts: { account: Account; covered: boolean | null }[] = [];
    const pending: { account: Account; report: () => void }[] = [];
    const later = (account: Account, report: () => void) => pending.push({ account, report });
    ctx.forEachAccount((account) => {
      const name = account.name && account.name !== account.id ? `${account.name} (${account.id})` : account.id;
      const trails = account.applicableTrails();
      if (trails.error) {
        verdicts.push({ account, covered: null });
        later(account, () => ctx.report({ status: 'ERROR', resource: account.resource, error: trails.error }));
        return;
      }
      const candidates = byArn(trails.value).map((t) => judge(t, account.id));
      const evidence = (): Evidence => ({
        trails: candidates.map((c) => ({
          arn: c.trail.trail.arn,
          name: c.trail.trail.name,
          ownerAccountId: c.trail.trail.ownerAccountId,
          isOrganizationTrail: c.trail.trail.isOrganizationTrail,
          verdict: qualifies(c) ? 'covers' : qualificationVerdict(c),
        })),
        ...(account.isManagementAccount
          ? {
              uncoveredAccounts: uncoveredList(),
              // Organization accounts outside the scan: covered only if the organization trail is.
              unscannedAccounts: ctx.scan.unscannedAccounts(),
              unscannedCoveredByOrganizationTrail: org !== undefined,
            }
          : {}),
      });
      const org = candidates.find((c) => c.kind === 'org' && qualifies(c));
      const own = candidates.find((c) => c.kind === 'own' && qualifies(c));
      if (org) {
        verdicts.push({ account, covered: true });
        later(account, () =>
          ctx.report({
            status: 'PASS',
            resource: account.resource,
            messageId: 'byOrgTrail',
            data: { account: name, trail: org.trail.trail.name, owner: org.trail.trail.ownerAccountId },
            evidence: evidence(),
          }),
        );
        return;
      }
      if (own) {
        verdicts.push({ account, covered: true });
        later(account, () =>
          ctx.report({ status: 'PASS', resource: account.resource, messageId: 'byOwnTrail', data: { account: name, trail: own.trail.trail.name }, evidence: evidence() }),
        );
        return;
      }
      const unknown = candidates.filter((c) => c.kind !== 'other' && undecided(c));
      if (unknown.length > 0) {
        verdicts.push({ account, covered: null });
        const why = describeUndecided(unknown);
        later(account, () => ctx.report({ status: 'ERROR', resource: account.resource, messageId: 'undecided', data: { account: name, why }, evidence: evidence() }));
        return;
      }
      verdicts.push({ account, covered: false });
      const relevant = candidates.filter((c) => c.kind !== 'other');
      // A multi-region trail (own or organization) is listed in every region, so a region whose
      // listing failed hides only single-region trails: the verdict stands, the message says so.
      const unlistedNote = unlistedRegionsNote(account);
      const reasons =
        (relevant.length === 0
          ? unlistedNote
            ? 'no organization trail applies to it and no multi-region trail of its own is listed in any region that could be read'
            : 'no organization trail applies to it and it has no trail of its own'
          : relevant.map((c) => `${c.trail.trail.name}: ${c.problems.join(', ')}`).join('; ')) + unlistedNote;
      // CloudTrail Lake: an event data store recording the account's management events is named (a
      // trail is still required); unreadable store listings make "nothing records it" unknown.
      const lake = ctx.services.use(lakeCoverageService)(account.id);
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
      later(account, () =>
        ctx.report({ status: 'FAIL', resource: account.resource, messageId: 'uncovered', data: { account: name, reasons, lake: lakeNote, fix: fixFor(relevant, account.id) }, evidence: lakeEvidence() }),
      );
    });
    // Findings are reported once every account is judged, so the management account's evidence
    // can list all uncovered accounts.
    for (const { account, report } of pending) ctx.isolate(account.resource, report);

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
  return { trail: view, fixes, kind, problems, unknown };
}

/** Fix the candidate closest to covering the account (organization trails first among equals), or create an organization trail. */
function fixFor(candidates: Candidate[], accountId: string): string {
  const create =
    'from the management account, aws cloudtrail create-trail --name org-trail --s3-bucket-name <log-archive-bucket> --is-organization-trail --is-multi-region-trail && aws cloudtrail start-logging --name org-trail';
  return closestFix(candidates, accountId, create, (c) => c.kind === 'org');
}
