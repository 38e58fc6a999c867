import {
  type Account,
  type CatchVerdict,
  type EventRule,
  type JsonValue,
  type KnownError,
  type MetricAlarm,
  type MetricFilter,
  type MonitoringControl,
  type TrailView,
  judgeEventPattern,
  judgeFilterPattern,
  notCollected,
  outOfScope,
  parseArn,
} from '@trailwarden/core';

/** The links of the chain, in order: a FAIL names the first one missing on the best chain. */
export type Link = 'noTrail' | 'noFilter' | 'noAlarm' | 'alarmDisabled' | 'alarmWontFire' | 'noTopic' | 'noSubscriber';
const ORDER: Link[] = ['noTrail', 'noFilter', 'noAlarm', 'alarmDisabled', 'alarmWontFire', 'noTopic', 'noSubscriber'];

export interface Gap {
  link: Link;
  data: Record<string, string | number | boolean>;
  evidence: Record<string, JsonValue>;
}

export interface Outcome {
  passed?: { via: 'metricFilter' | 'eventBridge'; data: Record<string, string | number | boolean>; evidence: Record<string, JsonValue> };
  /** The furthest any chain got, when none passed. */
  gap?: Gap;
  /** Reads that failed on a chain that might otherwise have passed. */
  unknown: KnownError[];
  /** What was looked at, per trail (the finding's evidence). */
  trails: JsonValue[];
}

export const NAMESPACE = 'CISBenchmark';

/** `arn:aws:logs:us-east-1:111122223333:log-group:NAME:*` → region, account, name. */
export function logGroupOf(arn: string): { region: string; accountId: string; name: string } | undefined {
  const p = parseArn(arn);
  if (p?.service !== 'logs' || !p.resource.startsWith('log-group:')) return undefined;
  const name = p.resource.slice('log-group:'.length).replace(/:\*$/, '');
  return name ? { region: p.region, accountId: p.accountId, name } : undefined;
}

const summary = (events: string[]) => (events.length <= 6 ? events.join(', ') : `${events.slice(0, 6).join(', ')} and ${events.length - 6} more`);

/**
 * Walk every chain that could watch this account's events for `control`: a multi-region logging
 * trail → its log group → a metric filter that catches every event → an alarm on the filter's
 * metric that is enabled and goes off on one event → an SNS topic with a confirmed subscriber
 * (or, unless `cisStrict`, an enabled EventBridge rule matching every event, with a target).
 */
export function walk(account: Account, lookup: (accountId: string) => Account | undefined, control: MonitoringControl, cisStrict: boolean): Outcome {
  const out: Outcome = { unknown: [], trails: [] };
  const trails = account.applicableTrails();
  if (trails.error) {
    out.unknown.push(trails.error);
    return out;
  }
  const events = control.mustCatch.map((e) => e.label);
  const better = (gap: Gap) => {
    if (!out.gap || ORDER.indexOf(gap.link) > ORDER.indexOf(out.gap.link)) out.gap = gap;
  };
  const sorted = [...trails.value].sort((a, b) => (a.trail.arn < b.trail.arn ? -1 : a.trail.arn > b.trail.arn ? 1 : 0));
  const candidates: TrailView[] = [];
  for (const t of sorted) {
    if (!t.trail.isMultiRegionTrail || !t.trail.cloudWatchLogsLogGroupArn) continue;
    const status = t.status();
    if (status.error) {
      out.unknown.push(status.error);
      continue;
    }
    if (status.value.isLogging) candidates.push(t);
  }
  if (candidates.length === 0) {
    better({ link: 'noTrail', data: {}, evidence: {} });
    return out;
  }
  for (const t of candidates) {
    const trailName = t.trail.name;
    const group = logGroupOf(t.trail.cloudWatchLogsLogGroupArn!);
    if (!group) {
      out.unknown.push({ code: 'InvalidLogGroupArn', message: `trail ${trailName} names log group "${t.trail.cloudWatchLogsLogGroupArn}", which is not a log group ARN`, operation: 'DescribeTrails', accountId: t.trail.ownerAccountId });
      continue;
    }
    const owner = lookup(group.accountId);
    if (!owner) {
      out.unknown.push(outOfScope('DescribeMetricFilters', `log group ${group.name} of trail ${trailName} is in account ${group.accountId}, which was not scanned`, group.accountId, group.region));
      continue;
    }
    const region = owner.get('monitoring').value?.[group.region];
    const filtersK = region?.logGroups[group.name];
    const trailEvidence: Record<string, JsonValue> = { trail: t.trail.arn, logGroup: group.name, region: group.region };
    out.trails.push(trailEvidence);
    const base = { trail: trailName, group: group.name, region: group.region };
    if (!region || !filtersK) {
      out.unknown.push(notCollected('DescribeMetricFilters', group.accountId, group.region));
      continue;
    }
    if (!cisStrict && owner.id === account.id) {
      const rule = eventBridgeRule(region.eventRules, control, out);
      if (rule) {
        out.passed = { via: 'eventBridge', data: { ...base, rule: rule.name, target: rule.target, events: summary(events) }, evidence: { ...trailEvidence, eventRule: rule.name, eventPattern: rule.pattern } };
        return out;
      }
    }
    if (filtersK.error) {
      out.unknown.push(filtersK.error);
      continue;
    }
    const judged = filtersK.value.map((f) => ({ f, v: judgeFilterPattern(f.pattern, control) }));
    trailEvidence.metricFilters = judged.map(({ f, v }) => ({ name: f.name, pattern: f.pattern, catchesAll: v.catchesAll, missed: v.missed, ...(v.problem ? { problem: v.problem } : {}), ...(v.notes.length ? { notes: v.notes } : {}) }));
    const catching = judged.filter(({ v }) => v.catchesAll);
    if (catching.length === 0) {
      better({ link: 'noFilter', data: { ...base, detail: closest(judged, events) }, evidence: trailEvidence });
      continue;
    }
    for (const { f, v } of catching) {
      const r = judgeAlarms(f, v, region.alarms, region.topics ?? {}, out, base, trailEvidence, better);
      if (r) {
        out.passed = r;
        return out;
      }
    }
  }
  return out;
}

/** "no metric filter" detail: the filter closest to catching, and what it misses. */
function closest(judged: { f: MetricFilter; v: CatchVerdict }[], events: string[]): string {
  if (judged.length === 0) return `the log group has no metric filters (the events to catch: ${summary(events)})`;
  const best = [...judged].sort((a, b) => a.v.missed.length - b.v.missed.length || (a.f.name < b.f.name ? -1 : 1))[0]!;
  if (best.v.problem) return `filter ${best.f.name} cannot be relied on: ${best.v.problem}`;
  return `the closest, filter ${best.f.name}, does not catch ${summary(best.v.missed)}${best.v.why ? ` (${best.v.why})` : ''}`;
}

function judgeAlarms(
  f: MetricFilter,
  verdict: CatchVerdict,
  alarmsK: { value?: MetricAlarm[]; error?: KnownError } | undefined,
  topics: Record<string, { value?: { confirmed: number; pending: number; protocols: string[] }; error?: KnownError }>,
  out: Outcome,
  base: Record<string, string>,
  trailEvidence: Record<string, JsonValue>,
  better: (g: Gap) => void,
): Outcome['passed'] | undefined {
  const metric = f.metrics[0];
  const filterData = { ...base, filter: f.name, namespace: metric?.namespace ?? NAMESPACE, metric: metric?.name ?? '' };
  if (!metric) {
    better({ link: 'noAlarm', data: { ...filterData, metric: '(none)' }, evidence: trailEvidence });
    return undefined;
  }
  if (!alarmsK) {
    out.unknown.push(notCollected('DescribeAlarms', '', base.region));
    return undefined;
  }
  if (alarmsK.error) {
    out.unknown.push(alarmsK.error);
    return undefined;
  }
  const alarms = alarmsK.value!.filter((a) => f.metrics.some((m) => watches(a, m.namespace, m.name)));
  if (alarms.length === 0) {
    better({ link: 'noAlarm', data: filterData, evidence: trailEvidence });
    return undefined;
  }
  for (const a of alarms) {
    const alarmData = { ...filterData, alarm: a.name };
    if (!a.actionsEnabled) {
      better({ link: 'alarmDisabled', data: alarmData, evidence: { ...trailEvidence, alarm: a.name } });
      continue;
    }
    const wontFire = whyNotFiring(a, f);
    if (wontFire) {
      better({ link: 'alarmWontFire', data: { ...alarmData, why: wontFire }, evidence: { ...trailEvidence, alarm: a.name } });
      continue;
    }
    const snsTopics = a.alarmActions.filter((arn) => parseArn(arn)?.service === 'sns');
    if (snsTopics.length === 0) {
      better({ link: 'noTopic', data: alarmData, evidence: { ...trailEvidence, alarm: a.name, alarmActions: a.alarmActions } });
      continue;
    }
    for (const topic of snsTopics) {
      const sub = topics[topic];
      if (!sub) {
        out.unknown.push(notCollected('ListSubscriptionsByTopic', parseArn(topic)?.accountId ?? '', parseArn(topic)?.region));
        continue;
      }
      if (sub.error) {
        out.unknown.push(sub.error);
        continue;
      }
      if (sub.value!.confirmed > 0) {
        const notes = verdict.notes.length ? ` Note: ${verdict.notes.join('; ')}.` : '';
        return {
          via: 'metricFilter',
          data: { ...alarmData, topic, subscribers: sub.value!.confirmed, notes },
          evidence: { ...trailEvidence, filter: f.name, pattern: f.pattern, alarm: a.name, topic, confirmedSubscriptions: sub.value!.confirmed, protocols: sub.value!.protocols },
        };
      }
      better({ link: 'noSubscriber', data: { ...alarmData, topic, pending: sub.value!.pending }, evidence: { ...trailEvidence, alarm: a.name, topic } });
    }
  }
  return undefined;
}

function watches(a: MetricAlarm, namespace: string, name: string): boolean {
  if (a.namespace === namespace && a.metricName === name) return true;
  return (a.metrics ?? []).some((m) => m.namespace === namespace && m.name === name);
}

/**
 * Would the alarm go off when one matching event arrives? The filter publishes its metric value
 * (usually 1) for the event; the alarm needs its statistic of that datapoint to cross the threshold
 * in one period, and to need only one breaching datapoint.
 */
function whyNotFiring(a: MetricAlarm, f: MetricFilter): string | undefined {
  const needed = a.datapointsToAlarm ?? a.evaluationPeriods ?? 1;
  if (needed > 1) return `it needs ${needed} breaching periods, so a single event does not set it off`;
  if (a.metrics && !a.metricName) return undefined; // metric math: not judged
  const valueText = f.metrics.find((m) => m.namespace === a.namespace && m.name === a.metricName)?.value ?? '1';
  const value = Number(valueText);
  if (!Number.isFinite(value) || a.threshold === undefined) return undefined; // `$.field` values: not judged
  const stat = a.statistic ?? (a.extendedStatistic ? 'p' : 'Sum');
  const datapoint = stat === 'SampleCount' ? 1 : value;
  const t = a.threshold;
  const op = a.comparisonOperator ?? 'GreaterThanOrEqualToThreshold';
  const fires =
    op === 'GreaterThanOrEqualToThreshold' ? datapoint >= t : op === 'GreaterThanThreshold' ? datapoint > t : op === 'LessThanThreshold' ? datapoint < t : op === 'LessThanOrEqualToThreshold' ? datapoint <= t : true;
  return fires ? undefined : `one event makes ${stat} = ${datapoint}, which is not ${op.replace(/Threshold$/, '').replace(/([A-Z])/g, ' $1').trim().toLowerCase()} the threshold ${t}`;
}

function eventBridgeRule(rulesK: { value?: EventRule[]; error?: KnownError } | undefined, control: MonitoringControl, out: Outcome): { name: string; target: string; pattern: string } | undefined {
  if (!rulesK) return undefined;
  if (rulesK.error) {
    out.unknown.push(rulesK.error);
    return undefined;
  }
  for (const rule of rulesK.value ?? []) {
    if (rule.state !== 'ENABLED' || !rule.eventPattern) continue;
    if (!judgeEventPattern(rule.eventPattern, control).catchesAll) continue;
    if (rule.targets.error) {
      out.unknown.push(rule.targets.error);
      continue;
    }
    const target = rule.targets.value?.[0];
    if (target) return { name: rule.name, target: target.arn, pattern: rule.eventPattern };
  }
  return undefined;
}
