import {
  type Account,
  type AdvancedFieldSelector,
  type Context,
  type Evidence,
  type KnownError,
  type SelectorCoverage,
  type TrailEventSelectors,
  type TrailQualification,
  type TrailView,
  byArn,
  closestFix,
  createCheck,
  describeKnownError,
  describeStore,
  describeUndecided,
  describeUnlistedRegions,
  lakeCoverageService,
  qualificationVerdict,
  qualifies,
  undecided,
  unlistedRegionsNote,
} from '@trailwarden/core';

export interface MultiRegionOptions {
  /** Accept a trail that excludes some management event sources (e.g. KMS or RDS Data API noise). */
  allowExcludedSources: boolean;
}

const messages = {
  covered:
    'Account {{account}} is covered by multi-region trail {{trail}}, which is logging and records all read and write management events{{note}}.',
  noTrail:
    'Account {{account}} has no CloudTrail trail at all{{consequence}}. Fix: aws cloudtrail create-trail --name management-events --s3-bucket-name <bucket> --is-multi-region-trail && aws cloudtrail start-logging --name management-events',
  notCovered:
    'Account {{account}} has no multi-region trail that is logging and records all read and write management events ({{reasons}}).{{lake}} Fix: {{fix}}',
  undecided:
    'Cannot decide whether account {{account}} is covered by a multi-region trail recording all management events: no trail qualifies on what could be read, and {{why}}.',
} as const;
/** What the helpers below are handed: this check's context (its options, its message ids). */
type Ctx = Context<MultiRegionOptions, keyof typeof messages>;

/** How one trail fares (see TrailQualification), with what the PASS message and the evidence say. */
interface Judgement extends TrailQualification {
  note?: string;
  evidence: Evidence;
}

/**
 * trail-multi-region: per account, some trail that applies to it (its own or an organization
 * trail) is multi-region, logging, and records every read and every write management event.
 * Coverage does not add up across trails: a read-only trail plus a write-only trail fail.
 */
export default createCheck({
  id: 'trail-multi-region',
  meta: {
    title: 'A multi-region trail records all management events in every account',
    description:
      'Every account must be covered by at least one multi-region CloudTrail trail (its own or an organization trail) that is logging and records all read and write management events. Without it, API activity in some regions or of some kinds goes unrecorded and cannot be investigated.',
    severity: 'high',
    resource: 'AWS::::Account',
    remediation: {
      text: 'Create (or fix) a multi-region trail — ideally an organization trail in the management or delegated administrator account — that is logging and records all read and write management events with no excluded event sources.',
      cli: [
        'aws cloudtrail create-trail --name management-events --s3-bucket-name <bucket> --is-multi-region-trail --enable-log-file-validation',
        'aws cloudtrail put-event-selectors --trail-name management-events --advanced-event-selectors \'[{"Name":"Management events","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}]\'',
        'aws cloudtrail start-logging --name management-events',
      ].join('\n'),
      terraform: [
        'resource "aws_cloudtrail" "management" {',
        '  name                       = "management-events"',
        '  s3_bucket_name             = aws_s3_bucket.trail.id',
        '  is_multi_region_trail      = true',
        '  is_organization_trail      = true # in the management or delegated administrator account',
        '  enable_logging             = true',
        '  enable_log_file_validation = true',
        '',
        '  advanced_event_selector {',
        '    name = "Management events"',
        '    field_selector {',
        '      field  = "eventCategory"',
        '      equals = ["Management"]',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    },
    docs: 'README.md',
    messages,
  },
  options: {
    schema: {
      type: 'object',
      properties: {
        allowExcludedSources: {
          type: 'boolean',
          description:
            'Accept a trail whose management events exclude some event sources (classic ExcludeManagementEventSources, or an advanced eventSource NotEquals). Security Hub CloudTrail.1 fails such trails.',
        },
      },
      additionalProperties: false,
    },
    defaults: { allowExcludedSources: false },
  },
  requires: ['trails', 'trailStatus', 'eventSelectors'],
  // CloudTrail Lake only changes what a FAIL says; a snapshot without it is judged, saying Lake is unknown.
  uses: ['eventDataStores'],
  evaluate(ctx) {
    ctx.forEachAccount((account) => judgeAccount(ctx, account));
  },
});

function judgeAccount(ctx: Ctx, account: Account): void {
  const name = account.name && account.name !== account.id ? `${account.name} (${account.id})` : account.id;
  const trails = account.applicableTrails();
  if (trails.error) {
    ctx.report({ status: 'ERROR', resource: account.resource, error: trails.error });
    return;
  }
  const judgements = byArn(trails.value).map((t) => judgeTrail(ctx, t));
  const evidence: Evidence = { trails: judgements.map((j) => j.evidence) };
  const winner = judgements.find(qualifies);
  if (winner) {
    ctx.report({ status: 'PASS', resource: account.resource, messageId: 'covered', data: { account: name, trail: winner.trail.trail.name, note: winner.note ? ` (${winner.note})` : '' }, evidence });
    return;
  }
  const unlisted = account.unlistedRegions();
  if (unlisted.length > 0) evidence.unlistedRegions = unlisted.map((u) => ({ region: u.region, error: describeKnownError(u.error) }));
  const lake = lakeNote(ctx, account.id, evidence);
  if (judgements.length === 0) {
    if (unlisted.length === 0) {
      ctx.report({ status: 'FAIL', resource: account.resource, messageId: 'noTrail', data: { account: name, consequence: lake.consequence }, evidence });
      return;
    }
    // A multi-region trail (own or organization) is listed in every region, so the regions that
    // were listed settle it; only single-region trails homed in the others are unknown.
    const reasons = `no multi-region trail is listed in any region that could be read (DescribeTrails failed in ${describeUnlistedRegions(account)}; trails homed there are unknown)`;
    ctx.report({ status: 'FAIL', resource: account.resource, messageId: 'notCovered', data: { account: name, reasons, lake: lake.note, fix: fixFor([], account.id) }, evidence });
    return;
  }
  const unknown = judgements.filter(undecided);
  if (unknown.length > 0) {
    ctx.report({ status: 'ERROR', resource: account.resource, messageId: 'undecided', data: { account: name, why: describeUndecided(unknown) }, evidence });
    return;
  }
  const reasons = `${judgements.map((j) => `${j.trail.trail.name}: ${j.problems.join(', ')}`).join('; ')}${unlistedRegionsNote(account)}`;
  ctx.report({ status: 'FAIL', resource: account.resource, messageId: 'notCovered', data: { account: name, reasons, lake: lake.note, fix: fixFor(judgements, account.id) }, evidence });
}

/**
 * What CloudTrail Lake says about the account's management events, for a FAIL: an event data store
 * that records them is named (CIS still asks for a trail: a store delivers no log files), unknown
 * store listings make "not recorded" unknown, and only known absence says "not recorded".
 */
function lakeNote(ctx: Ctx, accountId: string, evidence: Evidence): { consequence: string; note: string } {
  const lake = ctx.services.use(lakeCoverageService)(accountId);
  if (lake.stores.length > 0) evidence.eventDataStores = lake.stores.map((s) => s.evidence);
  if (lake.unknown.length > 0) evidence.eventDataStoresUnknown = lake.unknown.map(describeKnownError);
  const recording = lake.stores.filter((s) => s.recordsAllManagementEvents).map((s) => describeStore(s.store));
  if (recording.length > 0) {
    const by = `its management events are recorded by ${recording.join(' and ')}, but CIS requires a trail (an event data store delivers no log files)`;
    return { consequence: `; ${by}`, note: ` Still, ${by}.` };
  }
  if (lake.unknown.length > 0) {
    const why = `whether a CloudTrail Lake event data store records its management events is unknown (${lake.unknown.map(describeKnownError).join('; ')})`;
    return { consequence: `; ${why}`, note: ` And ${why}.` };
  }
  return { consequence: ', so API activity in it is not recorded', note: '' };
}

function judgeTrail(ctx: Ctx, view: TrailView): Judgement {
  const { trail } = view;
  const problems: string[] = [];
  const fixes: string[] = [];
  const unknown: KnownError[] = [];
  let note: string | undefined;
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

  const selectors = view.eventSelectors();
  let read: SelectorCoverage | null = null;
  let write: SelectorCoverage | null = null;
  let excluded: string[] = [];
  if (selectors.error) unknown.push(selectors.error);
  else {
    read = ctx.services.selectors.managementEvents(selectors.value, 'read');
    write = ctx.services.selectors.managementEvents(selectors.value, 'write');
    if (read !== 'all' || write !== 'all') {
      excluded = excludedSources(selectors.value);
      // Ask the evaluator again with the exclusions lifted: if that records everything, the
      // exclusions are the only narrowing, which the option may accept.
      const lifted = withoutSourceExclusions(selectors.value);
      const exclusionOnly =
        excluded.length > 0 &&
        ctx.services.selectors.managementEvents(lifted, 'read') === 'all' &&
        ctx.services.selectors.managementEvents(lifted, 'write') === 'all';
      if (exclusionOnly && ctx.options.allowExcludedSources) {
        note = `excluding event sources ${excluded.join(', ')}, allowed by allowExcludedSources`;
      } else if (exclusionOnly) {
        problems.push(`excludes management event sources ${excluded.join(', ')} (allowExcludedSources is off)`);
        fixes.push(putManagementSelector(trail.arn));
      } else {
        problems.push(describeManagementCoverage(read, write));
        fixes.push(putManagementSelector(trail.arn));
      }
    }
  }

  const qualification = { trail: view, fixes, problems, unknown };
  return {
    ...qualification,
    note,
    evidence: {
      arn: trail.arn,
      name: trail.name,
      ownerAccountId: trail.ownerAccountId,
      homeRegion: trail.homeRegion,
      isOrganizationTrail: trail.isOrganizationTrail,
      isMultiRegionTrail: trail.isMultiRegionTrail,
      isLogging: status.error ? null : status.value.isLogging,
      readManagementEvents: read,
      writeManagementEvents: write,
      excludedEventSources: excluded,
      verdict: qualificationVerdict(qualification),
    },
  };
}

const MANAGEMENT_SELECTOR = '{"Name":"Management events","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}';

function putManagementSelector(arn: string): string {
  // put-event-selectors replaces the whole list: say so, or the fix would drop data event selectors.
  return `aws cloudtrail put-event-selectors --trail-name ${arn} --advanced-event-selectors '[${MANAGEMENT_SELECTOR}]' (list the trail's data event selectors too)`;
}

/**
 * The fix for the trail closest to qualifying (fewest fixes, then ARN order), run in its owner
 * account; or a new multi-region trail when no trail can be fixed in place.
 */
function fixFor(judgements: Judgement[], accountId: string): string {
  const create = `aws cloudtrail create-trail --name management-events --s3-bucket-name <bucket> --is-multi-region-trail && aws cloudtrail start-logging --name management-events (in account ${accountId})`;
  return closestFix(judgements, accountId, create);
}

function describeManagementCoverage(read: SelectorCoverage, write: SelectorCoverage): string {
  const part = (c: SelectorCoverage, access: string) =>
    c === 'none' ? `no ${access} management events` : c === 'some' ? `only some ${access} management events (narrowed by event source, event name or another filter)` : '';
  if (read === 'none' && write === 'none') return 'records no management events';
  return `records ${[part(read, 'read'), part(write, 'write')].filter(Boolean).join(' and ')}`;
}

/** Event sources excluded from management events: classic exclusions and advanced eventSource NotEquals. */
function excludedSources(selectors: TrailEventSelectors): string[] {
  const out = new Set<string>();
  for (const s of selectors.eventSelectors ?? []) for (const src of s.excludeManagementEventSources ?? []) out.add(src);
  for (const s of selectors.advancedEventSelectors ?? []) {
    for (const fs of s.fieldSelectors) if (isExclusionOnly(fs)) for (const src of fs.notEquals ?? []) out.add(src);
  }
  return [...out].sort();
}

function withoutSourceExclusions(selectors: TrailEventSelectors): TrailEventSelectors {
  return {
    ...(selectors.eventSelectors
      ? { eventSelectors: selectors.eventSelectors.map((s) => ({ ...s, excludeManagementEventSources: [] })) }
      : {}),
    ...(selectors.advancedEventSelectors
      ? {
          advancedEventSelectors: selectors.advancedEventSelectors.map((s) => ({
            ...s,
            fieldSelectors: s.fieldSelectors.filter((fs) => !isExclusionOnly(fs)),
          })),
        }
      : {}),
  };
}

/** An advanced field selector that only says "eventSource is not one of these". */
function isExclusionOnly(fs: AdvancedFieldSelector): boolean {
  return (
    fs.field === 'eventSource' &&
    (fs.notEquals?.length ?? 0) > 0 &&
    !fs.equals?.length &&
    !fs.startsWith?.length &&
    !fs.notStartsWith?.length &&
    !fs.endsWith?.length &&
    !fs.notEndsWith?.length
  );
}
