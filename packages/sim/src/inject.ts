/**
 * Fault injection. Every random choice is a hash of (seed, purpose, operation, account, region, n) where
 * n counts that (operation, account, region)'s calls, so a run replays identically for the same call
 * sequence per key, whatever the interleaving of concurrent keys. Quotas are token buckets and follow
 * the wall clock by nature.
 */
import { createHash } from 'node:crypto';
import type { ServiceSpec } from './protocol/services.js';

export interface InjectionOptions {
  /** Per-call latency, log-normal with this median and 99th percentile. */
  latency?: { medianMs: number; p99Ms: number };
  /** Token buckets per (account, region, service): `true` = AWS's published default rates, or rates per second by service. */
  quotas?: true | Partial<Record<QuotaService, number>>;
  /** Probability of a throttling error (the service's own code) on any call. */
  throttleRate?: number;
  /** Probability of a 500 InternalError / 503 ServiceUnavailable. */
  faultRate?: number;
  /** Probability of holding a response for `ms` before answering (client-side timeouts). */
  timeouts?: { rate: number; ms: number };
  /** Calls answered with the service's AccessDenied error; each given field must match. */
  accessDenied?: { operation?: string; accountId?: string; region?: string }[];
  /**
   * The caller's credentials are temporary and expire mid-scan: after this many calls signed with
   * them, or this many seconds after the simulator started (whichever comes first). Every later
   * call with them answers the service's expired-token error; role sessions already issued live on.
   */
  expireCallerCredentials?: { afterCalls?: number; afterSeconds?: number };
  /** Role sessions issued by AssumeRole expire after this many calls each (they always expire after their DurationSeconds). */
  expireRoleSessions?: { afterCalls: number };
}

export type QuotaService = 'cloudtrail' | 's3' | 'kms' | 'iam' | 'organizations' | 'sts' | 'ec2' | 'logs' | 'cloudwatch' | 'sns' | 'events' | 'cloudtrailLookupEvents';

/**
 * Approximate published defaults (requests per second per account and region):
 * CloudTrail control-plane APIs ~10 TPS (CloudTrail quotas page), KMS DescribeKey/GetKeyPolicy ~1,000
 * (KMS request quotas), IAM ~20, Organizations ~20 (Organizations quotas: throttled per account),
 * STS 600 (STS request quotas), EC2 Describe* bucket refill 20/s with a 100 burst (EC2 API throttling),
 * S3 bucket-configuration calls 100 (S3 publishes only object rates; this is a conservative figure).
 */
export const DEFAULT_QUOTAS: Record<QuotaService, { rate: number; burst: number }> = {
  cloudtrail: { rate: 10, burst: 10 },
  s3: { rate: 100, burst: 100 },
  kms: { rate: 1000, burst: 1000 },
  iam: { rate: 20, burst: 20 },
  organizations: { rate: 20, burst: 20 },
  sts: { rate: 600, burst: 600 },
  ec2: { rate: 20, burst: 100 },
  // CloudWatch Logs DescribeMetricFilters 5 TPS, CloudWatch DescribeAlarms 9 TPS, SNS
  // ListSubscriptionsByTopic 30 TPS, EventBridge ListRules/ListTargetsByRule 50 TPS (their quota pages).
  logs: { rate: 5, burst: 5 },
  cloudwatch: { rate: 9, burst: 9 },
  sns: { rate: 30, burst: 30 },
  events: { rate: 50, burst: 50 },
  // LookupEvents: "limited to two per second, per account, per Region" (CloudTrail API reference).
  cloudtrailLookupEvents: { rate: 2, burst: 2 },
};

export interface CallKey {
  service: ServiceSpec;
  operation: string;
  accountId: string;
  region: string;
}

export type Decision =
  | { kind: 'pass' }
  | { kind: 'accessDenied' }
  | { kind: 'throttle'; reason: 'quota' | 'random' }
  | { kind: 'fault'; status: 500 | 503 };

export class Injector {
  private readonly calls = new Map<string, number>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly options: InjectionOptions,
    private readonly seed: number,
  ) {}

  /** A uniform number in [0, 1) for this call and purpose. */
  private uniform(purpose: string, key: string, n: number): number {
    const digest = createHash('sha256').update(`${this.seed}|${purpose}|${key}|${n}`).digest();
    return digest.readUIntBE(0, 6) / 2 ** 48;
  }

  /** Numbers each call of a key; returns the index used for every random choice of this call. */
  next(key: CallKey): { id: string; n: number } {
    const id = `${key.service.label}.${key.operation}|${key.accountId}|${key.region}`;
    const n = (this.calls.get(id) ?? 0) + 1;
    this.calls.set(id, n);
    return { id, n };
  }

  /** Milliseconds to wait before answering (latency plus an injected timeout hold). */
  delayMs(call: { id: string; n: number }): number {
    let ms = 0;
    const latency = this.options.latency;
    if (latency && latency.medianMs > 0) {
      const mu = Math.log(latency.medianMs);
      const sigma = Math.max(0, (Math.log(Math.max(latency.p99Ms, latency.medianMs)) - mu) / 2.326);
      const u1 = Math.max(this.uniform('lat1', call.id, call.n), 1e-12);
      const u2 = this.uniform('lat2', call.id, call.n);
      const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      ms += Math.exp(mu + sigma * z);
    }
    const timeouts = this.options.timeouts;
    if (timeouts && this.uniform('timeout', call.id, call.n) < timeouts.rate) ms += timeouts.ms;
    return ms;
  }

  decide(key: CallKey, call: { id: string; n: number }, nowMs: number): Decision {
    const denied = this.options.accessDenied?.some(
      (rule) =>
        (rule.operation === undefined || rule.operation === key.operation || rule.operation === `${key.service.label}.${key.operation}`) &&
        (rule.accountId === undefined || rule.accountId === key.accountId) &&
        (rule.region === undefined || rule.region === key.region),
    );
    if (denied) return { kind: 'accessDenied' };
    if (this.options.quotas && !this.take(key, nowMs)) return { kind: 'throttle', reason: 'quota' };
    if (this.options.throttleRate && this.uniform('throttle', call.id, call.n) < this.options.throttleRate) return { kind: 'throttle', reason: 'random' };
    if (this.options.faultRate && this.uniform('fault', call.id, call.n) < this.options.faultRate) {
      return { kind: 'fault', status: this.uniform('faultKind', call.id, call.n) < 0.5 ? 500 : 503 };
    }
    return { kind: 'pass' };
  }

  private take(key: CallKey, nowMs: number): boolean {
    // LookupEvents has a quota of its own, apart from CloudTrail's other APIs.
    const service = (key.service.quotaKey === 'cloudtrail' && key.operation === 'LookupEvents' ? 'cloudtrailLookupEvents' : key.service.quotaKey) as QuotaService;
    const quotas = this.options.quotas;
    const custom = quotas === true ? undefined : quotas?.[service];
    const rate = custom ?? DEFAULT_QUOTAS[service].rate;
    const burst = custom ?? DEFAULT_QUOTAS[service].burst;
    const id = `${key.accountId}|${key.region}|${service}`;
    const bucket = this.buckets.get(id) ?? { tokens: burst, at: nowMs };
    bucket.tokens = Math.min(burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * rate);
    bucket.at = nowMs;
    this.buckets.set(id, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
