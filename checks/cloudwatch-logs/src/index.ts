import { type KnownError, type TrailStatus, createCheck } from '@trailwarden/core';

export interface CloudWatchLogsOptions {
  /** The newest delivery to CloudWatch Logs must be at most this old (CIS: within the last day). */
  maxDeliveryAgeHours: number;
}

const messages = {
  delivering: 'Trail {{name}} delivers to CloudWatch Logs group {{group}}; last delivery {{age}} ago{{where}}.',
  notIntegrated:
    'Trail {{name}} does not send its events to CloudWatch Logs, so no metric filter or alarm can watch them. Fix: aws cloudtrail update-trail --name {{arn}} --cloud-watch-logs-log-group-arn <log-group-arn>:* --cloud-watch-logs-role-arn <role-arn>',
  deliveryError:
    'Trail {{name}} cannot deliver to CloudWatch Logs group {{group}}{{where}}: {{error}}. Fix the role {{role}} (it must allow logs:CreateLogStream and logs:PutLogEvents on the group and trust cloudtrail.amazonaws.com).',
  neverDelivered:
    'Trail {{name}} is set to deliver to CloudWatch Logs group {{group}} but has never delivered{{where}}. Check that the trail is logging and that role {{role}} lets cloudtrail.amazonaws.com write to the group.',
  stale:
    'Trail {{name}} last delivered to CloudWatch Logs group {{group}}{{where}} {{age}} ago (at {{time}}), more than the allowed {{max}} h. Check that the trail is logging and that role {{role}} still works.',
  notATimestamp: 'Cannot decide: {{problem}} of trail {{name}}{{where}} is not a timestamp.',
  statusUnread:
    'Cannot decide: trail {{name}} delivers to CloudWatch Logs from {{read}}, but its status in {{unread}} could not be read (GetTrailStatus: {{code}}).',
} as const;
type MessageId = keyof typeof messages;

/**
 * trail-cloudwatch-logs: the trail sends events to a CloudWatch Logs group, and that delivery is
 * working and recent (in UTC: CloudTrail's timestamps and `ctx.now` are both absolute instants).
 */
export default createCheck({
  id: 'trail-cloudwatch-logs',
  meta: {
    title: 'Trails deliver their events to CloudWatch Logs',
    description:
      'Every trail must send its events to a CloudWatch Logs log group, and delivery must be working and recent. CloudWatch Logs is where metric filters and alarms watch for root logins, policy changes and trail tampering in near real time.',
    severity: 'low',
    resource: 'AWS::CloudTrail::Trail',
    remediation: {
      text: 'Create a log group and a role that cloudtrail.amazonaws.com can assume with logs:CreateLogStream and logs:PutLogEvents on it, then set both on the trail.',
      cli: [
        'aws logs create-log-group --log-group-name cloudtrail',
        'aws cloudtrail update-trail --name <trail-arn> --cloud-watch-logs-log-group-arn arn:aws:logs:<region>:<account>:log-group:cloudtrail:* --cloud-watch-logs-role-arn <role-arn>',
      ].join('\n'),
      terraform: [
        'resource "aws_cloudwatch_log_group" "cloudtrail" {',
        '  name              = "cloudtrail"',
        '  retention_in_days = 365',
        '}',
        '',
        'resource "aws_cloudtrail" "main" {',
        '  # ...',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform interpolation, not a JS template
        '  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.cloudtrail.arn}:*"',
        '  cloud_watch_logs_role_arn  = aws_iam_role.cloudtrail_to_cloudwatch.arn',
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
        maxDeliveryAgeHours: {
          type: 'number',
          exclusiveMinimum: 0,
          description: 'Maximum age in hours of the last delivery to CloudWatch Logs.',
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
      const group = trail.cloudWatchLogsLogGroupArn;
      const base = { name: trail.name, arn: trail.arn, group: group ?? '(none)', role: trail.cloudWatchLogsRoleArn ?? '(none)' };
      if (!group) {
        ctx.report({ status: 'FAIL', resource, messageId: 'notIntegrated', data: base, evidence: { cloudWatchLogsLogGroupArn: null } });
        return;
      }
      const home = view.status();
      if (home.error) {
        ctx.report({ status: 'ERROR', resource, error: home.error, evidence: { cloudWatchLogsLogGroupArn: group } });
        return;
      }
      // GetTrailStatus answers one region: a multi-region trail is judged in every region it was read.
      const perRegion = view.regionStatuses().map(({ region, status }) => ({ region, status, verdict: status.value ? judge(status.value, maxHours, ctx.now) : undefined }));
      const multi = perRegion.length > 1;
      const regions: Record<string, string> = {};
      for (const r of perRegion) regions[r.region] = r.verdict ? (r.verdict.messageId ?? 'error') : 'unreadable';
      const failing = perRegion.filter((r) => r.verdict && r.verdict.messageId !== 'delivering');
      const first = failing[0] ?? perRegion[0]!;
      const s = first.status.value as TrailStatus;
      const evidence = {
        cloudWatchLogsLogGroupArn: group,
        cloudWatchLogsRoleArn: trail.cloudWatchLogsRoleArn ?? null,
        isLogging: s.isLogging,
        latestCloudWatchLogsDeliveryTime: s.latestCloudWatchLogsDeliveryTime ?? null,
        latestCloudWatchLogsDeliveryError: s.latestCloudWatchLogsDeliveryError ?? null,
        maxDeliveryAgeHours: maxHours,
        ...(multi ? { region: first.region, regions } : {}),
      };
      const verdict = first.verdict!;
      if (verdict.messageId === undefined) {
        ctx.report({ status: 'ERROR', resource, messageId: 'notATimestamp', data: { ...base, problem: verdict.problem, where: multi ? ` in ${first.region}` : '' }, evidence });
        return;
      }
      if (failing.length > 0) {
        const where = multi ? ` (from ${failing.length === 1 ? 'region' : 'regions'} ${failing.map((r) => r.region).join(', ')})` : '';
        ctx.report({ status: 'FAIL', resource, messageId: verdict.messageId, data: { ...base, ...verdict.data, where }, evidence });
        return;
      }
      const unreadable = perRegion.filter((r) => r.status.error);
      if (unreadable.length > 0) {
        const cause = unreadable[0]!.status.error as KnownError;
        ctx.report({
          status: 'ERROR',
          resource,
          messageId: 'statusUnread',
          data: { ...base, read: perRegion.filter((r) => r.verdict).map((r) => r.region).join(', '), unread: unreadable.map((r) => r.region).join(', '), code: cause.code },
          evidence: { ...evidence, error: { ...cause } },
        });
        return;
      }
      ctx.report({ status: 'PASS', resource, messageId: 'delivering', data: { ...base, ...verdict.data, where: multi ? ` (read in ${perRegion.length} regions)` : '' }, evidence });
    });
  },
});

type Verdict = { messageId: MessageId; data: Record<string, string | number> } | { messageId: undefined; problem: string };

/** One region's status: CloudWatch Logs delivery without error, and recent. */
function judge(s: TrailStatus, maxHours: number, now: Date): Verdict {
  if (s.latestCloudWatchLogsDeliveryError) return { messageId: 'deliveryError', data: { error: s.latestCloudWatchLogsDeliveryError } };
  if (!s.latestCloudWatchLogsDeliveryTime) return { messageId: 'neverDelivered', data: {} };
  const delivered = parseUtcTimestamp(s.latestCloudWatchLogsDeliveryTime);
  if (Number.isNaN(delivered)) return { messageId: undefined, problem: `LatestCloudWatchLogsDeliveryTime "${s.latestCloudWatchLogsDeliveryTime}"` };
  const ageMs = now.getTime() - delivered;
  if (ageMs > maxHours * 3_600_000) return { messageId: 'stale', data: { age: formatAge(ageMs), time: new Date(delivered).toISOString(), max: maxHours } };
  return { messageId: 'delivering', data: { age: formatAge(ageMs) } };
}

function formatAge(ms: number): string {
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
