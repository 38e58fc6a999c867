import {
  type Access,
  type AdvancedFieldSelector,
  type BucketView,
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
  qualificationVerdict,
  qualifies,
  undecided,
} from '@trailwarden/core';

/**
 * trail-s3-data-events-write / trail-s3-data-events-read: for each trail bucket, some multi-region,
 * logging trail that applies to the bucket's owner account (its own trail or an organization trail)
 * records S3 object-level write (resp. read) events for every object in the bucket.
 */
const messageTemplates = (access: Access) => ({
  recorded: `Bucket {{bucket}}: object-level ${access} events are recorded by multi-region trail {{trail}}.`,
  narrowed: `Bucket {{bucket}}: object-level ${access} events are recorded only in part — {{how}} — so some ${access}s of log objects go unrecorded. Fix: {{fix}}`,
  notRecorded: `Bucket {{bucket}}: no multi-region, logging trail records its object-level ${access} events ({{reasons}}). Fix: {{fix}}`,
  undecided: `Cannot decide whether object-level ${access} events of bucket {{bucket}} are recorded: no trail qualifies on what could be read, and {{why}}.`,
});
/** What the helpers below are handed: the context of these checks (no options; message ids as declared here). */
type Ctx = Context<Record<string, never>, keyof ReturnType<typeof messageTemplates>>;

/** How one trail fares for one bucket (see TrailQualification). */
interface TrailJudgement extends TrailQualification {
  coverage: SelectorCoverage | null;
  /** How the selectors narrow the events, when coverage is `some`. */
  narrowing?: string;
  evidence: Evidence;
}

function makeCheck(access: Access) {
  const readOnly = access === 'read' ? 'true' : 'false';
  return createCheck({
    id: `trail-s3-data-events-${access}`,
    meta: {
      title: `S3 object-level ${access} events are recorded for trail buckets`,
      description: `Every bucket that receives CloudTrail logs must have its S3 object-level ${access} events (${
        access === 'write' ? 'PutObject, DeleteObject, ...' : 'GetObject, HeadObject, ...'
      }) recorded by a multi-region, logging trail that applies to the bucket's owner account. Without them nobody can tell who ${
        access === 'write' ? 'changed or deleted' : 'read'
      } log files.`,
      severity: 'medium',
      resource: 'AWS::S3::Bucket',
      remediation: {
        text: `Add an advanced event selector recording S3 object-level ${access} events for the bucket (or for all buckets) to a multi-region, logging trail that applies to the bucket's owner account — an organization trail covers every member account.`,
        cli: `aws cloudtrail put-event-selectors --trail-name <multi-region-trail> --advanced-event-selectors '[{"Name":"Management events","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]},{"Name":"S3 object ${access}s","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]},{"Field":"readOnly","Equals":["${readOnly}"]},{"Field":"resources.ARN","StartsWith":["arn:aws:s3:::<bucket>/"]}]}]'`,
        terraform: [
          'resource "aws_cloudtrail" "main" {',
          '  # ... is_multi_region_trail = true, enable_logging = true',
          '  advanced_event_selector {',
          '    name = "Management events"',
          '    field_selector {',
          '      field  = "eventCategory"',
          '      equals = ["Management"]',
          '    }',
          '  }',
          '  advanced_event_selector {',
          `    name = "S3 object ${access}s"`,
          '    field_selector {',
          '      field  = "eventCategory"',
          '      equals = ["Data"]',
          '    }',
          '    field_selector {',
          '      field  = "resources.type"',
          '      equals = ["AWS::S3::Object"]',
          '    }',
          '    field_selector {',
          '      field  = "readOnly"',
          `      equals = ["${readOnly}"]`,
          '    }',
          '    field_selector {',
          '      field       = "resources.ARN"',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform interpolation, not a JS template
          '      starts_with = ["${aws_s3_bucket.trail.arn}/"]',
          '    }',
          '  }',
          '}',
        ].join('\n'),
      },
      docs: 'README.md',
      messages: messageTemplates(access),
    },
    requires: ['trails', 'trailStatus', 'eventSelectors', 'buckets'],
    evaluate(ctx) {
      ctx.forEachBucket((bucket) => judgeBucket(ctx, bucket, access));
    },
  });
}

function judgeBucket(ctx: Ctx, bucket: BucketView, access: Access): void {
  const name = bucket.bucket.name;
  const owner = ctx.account(bucket.resource.accountId);
  // A bucket view exists only for a bucket listed under an account of the snapshot, so its owner is
  // always there; were it not, the engine turns this throw into an ERROR for the bucket.
  if (!owner) throw new Error(`bucket ${name}: owner account ${bucket.resource.accountId} is missing from the scan model`);
  const trails = owner.applicableTrails();
  if (trails.error) {
    ctx.report({ status: 'ERROR', resource: bucket.resource, error: trails.error, evidence: { consequence: `the trails applying to account ${owner.id} are unknown` } });
    return;
  }
  const judgements = byArn(trails.value).map((t) => judgeTrail(ctx, t, name, access));
  const evidence: Evidence = { ownerAccountId: owner.id, trails: judgements.map((j) => j.evidence) };
  const base = { bucket: name, partition: ctx.partition };

  const winner = judgements.find(qualifies);
  if (winner) {
    ctx.report({ status: 'PASS', resource: bucket.resource, messageId: 'recorded', data: { ...base, trail: winner.trail.trail.name }, evidence });
    return;
  }
  const unknown = judgements.filter(undecided);
  if (unknown.length > 0) {
    const why = unknown.map((j) => `trail ${j.trail.trail.name}: ${j.unknown.map(describeKnownError).join('; ')}`).join(' | ');
    ctx.report({ status: 'ERROR', resource: bucket.resource, messageId: 'undecided', data: { ...base, why }, evidence });
    return;
  }
  // A trail that is otherwise fine but narrows the events: say how, it is the one to fix.
  const narrowed = judgements.find((j) => j.narrowing && j.problems.length === 1);
  if (narrowed) {
    ctx.report({ status: 'FAIL', resource: bucket.resource, messageId: 'narrowed', data: { ...base, how: `trail ${narrowed.trail.trail.name}: ${narrowed.narrowing}`, fix: fixFor([narrowed], owner.id, name, access, ctx.partition) }, evidence });
    return;
  }
  const reasons =
    judgements.length === 0
      ? `no trail applies to account ${owner.id}`
      : judgements.map((j) => `${j.trail.trail.name}: ${j.problems.join(', ')}`).join('; ');
  ctx.report({ status: 'FAIL', resource: bucket.resource, messageId: 'notRecorded', data: { ...base, reasons, fix: fixFor(judgements, owner.id, name, access, ctx.partition) }, evidence });
}

function judgeTrail(
  ctx: Ctx,
  view: TrailView,
  bucket: string,
  access: Access,
): TrailJudgement {
  const { trail } = view;
  const problems: string[] = [];
  const fixes: string[] = [];
  const unknown: KnownError[] = [];
  let narrowing: string | undefined;
  let coverage: SelectorCoverage | null = null;

  const selectors = view.eventSelectors();
  if (selectors.error) unknown.push(selectors.error);
  else {
    coverage = ctx.services.selectors.s3DataEvents(selectors.value, bucket, access);
    if (coverage === 'none') problems.push(`records no object-level ${access} events for this bucket`);
    if (coverage === 'some') {
      narrowing = describeNarrowing(ctx, selectors.value, bucket, access);
      problems.push(`records only some object-level ${access} events (${narrowing})`);
    }
    if (coverage !== 'all') fixes.push(putS3Selector(trail.arn, bucket, access, ctx.partition));
  }
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

  const qualification = { trail: view, fixes, problems, unknown };
  return {
    ...qualification,
    coverage,
    narrowing,
    evidence: {
      arn: trail.arn,
      name: trail.name,
      ownerAccountId: trail.ownerAccountId,
      isOrganizationTrail: trail.isOrganizationTrail,
      isMultiRegionTrail: trail.isMultiRegionTrail,
      isLogging: status.error ? null : status.value.isLogging,
      [`${access}DataEvents`]: coverage,
      verdict: qualificationVerdict(qualification),
    },
  };
}

function putS3Selector(trail: string, bucket: string, access: Access, partition: string): string {
  const selector = {
    Name: `S3 object ${access}s`,
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      { Field: 'readOnly', Equals: [access === 'read' ? 'true' : 'false'] },
      { Field: 'resources.ARN', StartsWith: [`arn:${partition}:s3:::${bucket}/`] },
    ],
  };
  // put-event-selectors replaces the whole list: say so, or the fix would drop the other selectors.
  return `aws cloudtrail put-event-selectors --trail-name ${trail} --advanced-event-selectors '[${JSON.stringify(selector)}]' (list the trail's other selectors too)`;
}

/**
 * The fix for the trail closest to qualifying (fewest fixes, then ARN order), run in its owner
 * account; with no trail at all, add the selector to a multi-region trail of the owner account.
 */
function fixFor(judgements: TrailJudgement[], accountId: string, bucket: string, access: Access, partition: string): string {
  const fallback = `${putS3Selector('<multi-region-trail>', bucket, access, partition)}, on a logging multi-region trail of account ${accountId} or the organization trail`;
  return closestFix(judgements, accountId, fallback);
}

/** Name the selectors that record only part of the bucket's events, and what in them narrows it. */
function describeNarrowing(
  ctx: Ctx,
  selectors: TrailEventSelectors,
  bucket: string,
  access: Access,
): string {
  const parts: string[] = [];
  (selectors.advancedEventSelectors ?? []).forEach((s, i) => {
    if (ctx.services.selectors.s3DataEvents({ advancedEventSelectors: [s] }, bucket, access) !== 'some') return;
    const filters = s.fieldSelectors.filter((fs) => !isCategoryOrType(fs)).map(describeFieldSelector);
    parts.push(`advanced selector ${s.name ? `"${s.name}"` : `#${i + 1}`} filters on ${filters.join(' and ')}`);
  });
  (selectors.eventSelectors ?? []).forEach((s, i) => {
    if (ctx.services.selectors.s3DataEvents({ eventSelectors: [s] }, bucket, access) !== 'some') return;
    const values = (s.dataResources ?? []).filter((d) => d.type === 'AWS::S3::Object').flatMap((d) => d.values);
    parts.push(`classic selector #${i + 1} covers only the key prefixes ${values.join(', ')}`);
  });
  return parts.length > 0 ? parts.join('; ') : 'the selectors narrow the events';
}

function isCategoryOrType(fs: AdvancedFieldSelector): boolean {
  return (fs.field === 'eventCategory' || fs.field === 'resources.type') && Object.keys(fs).every((k) => k === 'field' || k === 'equals');
}

const OPERATORS = ['equals', 'notEquals', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith'] as const;

function describeFieldSelector(fs: AdvancedFieldSelector): string {
  return OPERATORS.filter((op) => (fs[op]?.length ?? 0) > 0)
    .map((op) => `${fs.field} ${op[0]?.toUpperCase()}${op.slice(1)} [${(fs[op] ?? []).join(', ')}]`)
    .join(' and ');
}

export const s3DataEventsWrite = makeCheck('write');
export const s3DataEventsRead = makeCheck('read');

export default [s3DataEventsWrite, s3DataEventsRead];
