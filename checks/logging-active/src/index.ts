import { type Known, type TrailStatus, createCheck } from '@trailwarden/core';

export interface LoggingActiveOptions {
  /** The newest log file delivered to S3 must be at most this old. */
  maxDeliveryAgeHours: number;
}

const FIX_START = 'Fix: aws cloudtrail start-logging --name {{arn}}';

const messages = {
  active: 'Trail {{name}} is logging and delivered its last log file to S3 {{age}} ago{{where}}.',
  stopped: `Trail {{name}} is not logging{{where}} (stopped{{since}}), so no API activity is being recorded. ${FIX_START}`,
  deliveryError:
    'Trail {{name}} is logging but cannot deliver log files to S3 bucket {{bucket}}{{where}}: {{error}}. Fix the bucket policy (allow cloudtrail.amazonaws.com s3:PutObject, with an aws:SourceArn that allows every region the trail covers) or the KMS key policy, or point the trail at a working bucket: aws cloudtrail update-trail --name {{arn}} --s3-bucket-name <bucket>',
  neverDelivered:
    'Trail {{name}} is logging but has not delivered any log file to S3 bucket {{bucket}}{{where}} yet{{since}}. Check the bucket and key policies allow cloudtrail.amazonaws.com to write.',
  stale:
    'Trail {{name}} last delivered a log file to S3{{where}} {{age}} ago (at {{time}}), more than the allowed {{max}} h. Check the bucket and KMS key policies, and that the trail records events.',
  notATimestamp: 'Cannot decide: {{problem}} of trail {{name}}{{where}} is not a timestamp.',
  statusUnread:
    'Cannot decide: trail {{name}} is logging and delivering in {{read}}, but its status in {{unread}} could not be read (GetTrailStatus: {{code}}).',
} as const;
type MessageId = keyof typeof messages;

/**
 * trail-logging-active: every trail is logging, S3 delivery works (no LatestDeliveryError) and is
 * recent. A trail can be "enabled" on paper while its logs pile up nowhere.
 */
export default createCheck({
  id: 'trail-logging-active',
  meta: {
    title: 'Trails are logging and delivering log files',
    description:
      'Every trail must be logging (IsLogging), deliver its log files to S3 without errors, and have delivered one recently. A stopped trail records nothing; a trail with a delivery error (bucket or key policy broken) records events nobody can read.',
    severity: 'high',
    resource: 'AWS::CloudTrail::Trail',
    remediation: {
      text: 'Start logging on the trail, and make sure the bucket policy and KMS key policy let cloudtrail.amazonaws.com write log files.',
      cli: ['aws cloudtrail start-logging --name <trail-arn>', 'aws cloudtrail get-trail-status --name <trail-arn>   # LatestDeliveryError, LatestDeliveryTime'].join('\n'),
      terraform: 'resource "aws_cloudtrail" "main" {\n  # ...\n  enable_logging = true\n}',
    },
    docs: 'README.md',
    messages,
  },
  options: {
    schema: {
      type: 'object',
      properties: {
        maxDeliveryAgeHours: {
          type: 'number',
          exclusiveMinimum: 0,
          description: 'Maximum age in hours of the last log file delivered to S3.',
        },
      },
      additionalProperties: false,
    },
    defaults: { maxDeliveryAgeHours: 24 },
  },
  requires: ['trails', 'trailStatus'],
  evaluate(ctx) {
    const maxHours = ctx.options.maxDeliveryAgeHours;
    ctx.forEachTrail((view) => {
      const { trail, resource } = view;
      const base = { name: trail.name, arn: trail.arn, bucket: trail.s3BucketName ?? '(none)' };
      const home = view.status();
      if (home.error) {
        ctx.report({ status: 'ERROR', resource, error: home.error });
        return;
      }
      // GetTrailStatus answers one region: a multi-region trail is judged in every region it was read.
      const perRegion = view.regionStatuses().map(({ region, status }) => ({ region, status, verdict: status.value ? judge(status.value, maxHours, ctx.now) : undefined }));
      const regions: Record<string, string> = {};
      for (const r of perRegion) regions[r.region] = r.verdict ? (r.verdict.messageId ?? 'error') : 'unreadable';
      const multi = perRegion.length > 1;
      const failing = perRegion.filter((r) => r.verdict && r.verdict.messageId !== 'active');
      const first = failing[0] ?? perRegion[0]!;
      const s = first.status.value as TrailStatus;
      const evidence = {
        isLogging: s.isLogging,
        latestDeliveryTime: s.latestDeliveryTime ?? null,
        latestDeliveryError: s.latestDeliveryError ?? null,
        startLoggingTime: s.startLoggingTime ?? null,
        stopLoggingTime: s.stopLoggingTime ?? null,
        maxDeliveryAgeHours: maxHours,
        ...(multi ? { region: first.region, regions } : {}),
      };
      const verdict = first.verdict!;
      if (verdict.messageId === undefined) {
        ctx.report({ status: 'ERROR', resource, messageId: 'notATimestamp', data: { ...base, problem: verdict.problem, where: multi ? ` in ${first.region}` : '' }, evidence });
        return;
      }
      if (failing.length > 0) {
        const where = multi ? ` in ${failing.length === 1 ? 'region' : 'regions'} ${failing.map((r) => r.region).join(', ')}` : '';
        ctx.report({ status: 'FAIL', resource, messageId: verdict.messageId, data: { ...base, ...verdict.data, where }, evidence });
        return;
      }
      const unreadable = perRegion.filter((r) => r.status.error);
      if (unreadable.length > 0) {
        const cause = unreadable[0]!.status.error as NonNullable<Known<TrailStatus>['error']>;
        ctx.report({
          status: 'ERROR',
          resource,
          messageId: 'statusUnread',
          data: { ...base, read: perRegion.filter((r) => r.verdict).map((r) => r.region).join(', '), unread: unreadable.map((r) => r.region).join(', '), code: cause.code },
          evidence: { ...evidence, error: { ...cause } },
        });
        return;
      }
      ctx.report({ status: 'PASS', resource, messageId: 'active', data: { ...base, ...verdict.data, where: multi ? ` (read in ${perRegion.length} regions)` : '' }, evidence });
    });
  },
});

type Verdict = { messageId: MessageId; data: Record<string, string | number> } | { messageId: undefined; problem: string };

/** One region's status: logging, delivering without error, and recently. */
function judge(s: TrailStatus, maxHours: number, now: Date): Verdict {
  if (!s.isLogging) return { messageId: 'stopped', data: { since: s.stopLoggingTime ? ` since ${s.stopLoggingTime}` : '' } };
  if (s.latestDeliveryError) return { messageId: 'deliveryError', data: { error: s.latestDeliveryError } };
  if (!s.latestDeliveryTime) return { messageId: 'neverDelivered', data: { since: s.startLoggingTime ? ` (logging since ${s.startLoggingTime})` : '' } };
  const delivered = parseUtcTimestamp(s.latestDeliveryTime);
  if (Number.isNaN(delivered)) return { messageId: undefined, problem: `LatestDeliveryTime "${s.latestDeliveryTime}"` };
  const ageMs = now.getTime() - delivered;
  const age = formatAge(ageMs);
  if (ageMs > maxHours * 3_600_000) return { messageId: 'stale', data: { age, time: new Date(delivered).toISOString(), max: maxHours } };
  return { messageId: 'active', data: { age } };
}

/** "3 h 5 min", "2 d 4 h" — enough precision for a person. */
export function formatAge(ms: number): string {
  if (ms < 0) return '0 min';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/**
 * A CloudTrail timestamp in milliseconds. ISO 8601 without a zone designator (as some tools write
 * it) is read as UTC, as CloudTrail means it: JavaScript would read it in the machine's time zone.
 */
export function parseUtcTimestamp(text: string): number {
  const t = text.trim();
  const zoneless = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.exec(t);
  return Date.parse(zoneless ? `${zoneless[1]}T${zoneless[2]}Z` : t);
}
