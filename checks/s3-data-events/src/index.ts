import {
  type Access,
  type AdvancedFieldSelector,
  type BucketView,
  type CheckContext,
  type Evidence,
  type KnownError,
  type SelectorCoverage,
  type TrailEventSelectors,
  type TrailView,
  defineCheck,
  describeKnownError,
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
});
type MessageId = keyof ReturnType<typeof messageTemplates>;

interface TrailJudgement {
  view: TrailView;
  /** The one-line commands that would make this trail qualify. */
  fixes: string[];
  coverage: SelectorCoverage | null;
  problems: string[];
  unknown: KnownError[];
  /** How the selectors narrow the events, when coverage is `some`. */
  narrowing?: string;
  evidence: Evidence;
}

function makeCheck(access: Access) {
  const readOnly = access === 'read' ? 'true' : 'false';
  return defineCheck<Record<string, never>, MessageId>({
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

function judgeBucket(ctx: CheckContext<Record<string, never>, MessageId>, bucket: BucketView, access: Access): void {
  const name = bucket.bucket.name;
  const owner = ctx.account(bucket.resource.accountId);
  if (!owner) {
    ctx.error(bucket.resource, `Cannot decide: the owner account ${bucket.resource.accountId} of bucket ${name} is not in the snapshot.`);
    return;
  }
  const trails = owner.applicableTrails();
  if (trails.error) {
    ctx.error(bucket.resource, trails.error, { consequence: `the trails applying to account ${owner.id} are unknown` });
    return;
  }
  const judgements = [...trails.value]
    .sort((a, b) => (a.trail.arn < b.trail.arn ? -1 : a.trail.arn > b.trail.arn ? 1 : 0))
    .map((t) => judgeTrail(ctx, t, name, access));
  const evidence: Evidence = { ownerAccountId: owner.id, trails: judgements.map((j) => j.evidence) };
  const base = { bucket: name, partition: ctx.partition };

  const winner = judgements.find((j) => j.problems.length === 0 && j.unknown.length === 0);
  if (winner) {
    ctx.pass(bucket.resource, 'recorded', { ...base, trail: winner.view.trail.name }, evidence);
    return;
  }
  const undecided = judgements.filter((j) => j.problems.length === 0 && j.unknown.length > 0);
  if (undecided.length > 0) {
    const why = undecided.map((j) => `trail ${j.view.trail.name}: ${j.unknown.map(describeKnownError).join('; ')}`).join(' | ');
    ctx.error(
      bucket.resource,
      `Cannot decide whether object-level ${access} events of bucket ${name} are recorded: no trail qualifies on what could be read, and ${why}.`,
      evidence,
    );
    return;
  }
  // A trail that is otherwise fine but narrows the events: say how, it is the one to fix.
  const narrowed = judgements.find((j) => j.narrowing && j.problems.length === 1);
  if (narrowed) {
    ctx.fail(
      bucket.resource,
      'narrowed',
      { ...base, how: `trail ${narrowed.view.trail.name}: ${narrowed.narrowing}`, fix: fixFor([narrowed], owner.id, name, access, ctx.partition) },
      evidence,
    );
    return;
  }
  const reasons =
    judgements.length === 0
      ? `no trail applies to account ${owner.id}`
      : judgements.map((j) => `${j.view.trail.name}: ${j.problems.join(', ')}`).join('; ');
  ctx.fail(bucket.resource, 'notRecorded', { ...base, reasons, fix: fixFor(judgements, owner.id, name, access, ctx.partition) }, evidence);
}

function judgeTrail(
  ctx: CheckContext<Record<string, never>, MessageId>,
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
    coverage = ctx.selectors.s3DataEvents(selectors.value, bucket, access);
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

  return {
    view,
    fixes,
    coverage,
    problems,
    unknown,
    narrowing,
    evidence: {
      arn: trail.arn,
      name: trail.name,
      ownerAccountId: trail.ownerAccountId,
      isOrganizationTrail: trail.isOrganizationTrail,
      isMultiRegionTrail: trail.isMultiRegionTrail,
      isLogging: status.error ? null : status.value.isLogging,
      [`${access}DataEvents`]: coverage,
      verdict:
        problems.length === 0 && unknown.length === 0
          ? 'qualifies'
          : problems.length > 0
            ? problems.join(', ')
            : `unknown: ${unknown.map(describeKnownError).join('; ')}`,
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
  const best = judgements
    .filter((j) => j.fixes.length > 0 && j.unknown.length === 0)
    .reduce<TrailJudgement | undefined>((a, j) => (a === undefined || j.fixes.length < a.fixes.length ? j : a), undefined);
  if (!best) return `${putS3Selector('<multi-region-trail>', bucket, access, partition)}, on a logging multi-region trail of account ${accountId} or the organization trail`;
  const owner = best.view.trail.ownerAccountId;
  return `${best.fixes.join(' && ')}${owner !== accountId ? ` (in account ${owner}, which owns the trail)` : ''}`;
}

/** Name the selectors that record only part of the bucket's events, and what in them narrows it. */
function describeNarrowing(
  ctx: CheckContext<Record<string, never>, MessageId>,
  selectors: TrailEventSelectors,
  bucket: string,
  access: Access,
): string {
  const parts: string[] = [];
  (selectors.advancedEventSelectors ?? []).forEach((s, i) => {
    if (ctx.selectors.s3DataEvents({ advancedEventSelectors: [s] }, bucket, access) !== 'some') return;
    const filters = s.fieldSelectors.filter((fs) => !isCategoryOrType(fs)).map(describeFieldSelector);
    parts.push(`advanced selector ${s.name ? `"${s.name}"` : `#${i + 1}`} filters on ${filters.join(' and ')}`);
  });
  (selectors.eventSelectors ?? []).forEach((s, i) => {
    if (ctx.selectors.s3DataEvents({ eventSelectors: [s] }, bucket, access) !== 'some') return;
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
