import { CollectorError, classifyError, errorCode } from '../errors.js';
import { assertReadOnlyCommand, operationOf } from '../read-only.js';
import type { Metrics } from './metrics.js';
import { paceFor, type Service } from './quotas.js';
import { TokenBucket } from './token-bucket.js';

export interface CallTarget {
  accountId: string;
  region: string;
  /** A collector service, or the SDK client name of a service only plugins read (paced by default). */
  service: Service | (string & {});
}

export interface Sender {
  // biome-ignore lint/suspicious/noExplicitAny: SDK clients each have their own command unions.
  send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
}

/** A command object as the SDK builds it: we only need its class name and input. */
export type AnyCommand = object;

export interface CallerOptions {
  metrics: Metrics;
  /** Attempts per call, including the first (default 8). */
  maxAttempts?: number;
  /** Base backoff in ms (default 100; doubled per attempt, full jitter, capped at 10 s). */
  baseDelayMs?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
  /** The scan's stop signal: once aborted, no call starts (and in-flight ones are cancelled, unless `abortInFlight` is false). */
  signal?: AbortSignal;
  /** Hand the signal to every request too (default true): only a time limit needs hung calls cut. */
  abortInFlight?: boolean;
  /** Attempts for a call that timed out (default 3): a silent endpoint must not cost 8 timeouts per call. */
  maxTimeoutAttempts?: number;
}

/** Codes of a request that got no answer in time (the handler's socket timeouts). */
const TIMEOUT_CODES = new Set(['TimeoutError', 'RequestTimeout', 'ETIMEDOUT']);

/** The error every call gets once the scan stopped: its overall time limit passed, or why it was stopped. */
export function scanTimeoutError(signal: AbortSignal): CollectorError {
  // Stopped for another reason (the caller's credentials expired): that reason, as it was given.
  if (signal.reason instanceof CollectorError) return signal.reason;
  const reason = typeof signal.reason === 'string' ? signal.reason : 'the scan reached its overall time limit';
  return new CollectorError('ScanTimeout', reason);
}

const MAX_DELAY_MS = 10_000;
/** Organizations is one paced queue for the whole run: at most this many calls in flight. */
const ORGANIZATIONS_IN_FLIGHT = 4;

/**
 * Every AWS call goes through here: the read-only guard, a token bucket per (account, region,
 * service), and retries with exponential backoff and full jitter for throttling, 5xx and network
 * errors. AccessDenied, opt-in and other client errors are never retried.
 */
export class Caller {
  private readonly buckets = new Map<string, Map<string, TokenBucket>>();
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private orgInFlight = 0;
  private readonly orgWaiters: (() => void)[] = [];

  constructor(private readonly options: CallerOptions) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 8);
    this.baseDelayMs = options.baseDelayMs ?? 100;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get metrics(): Metrics {
    return this.options.metrics;
  }

  async send<T>(target: CallTarget, client: Sender, command: AnyCommand): Promise<T> {
    assertReadOnlyCommand(command);
    const operation = operationOf(command);
    const bucket = this.bucket(target);
    const isOrg = target.service === 'organizations';
    const signal = this.options.signal;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw scanTimeoutError(signal);
      await bucket.take();
      if (signal?.aborted) throw scanTimeoutError(signal);
      if (isOrg) await this.enterOrgQueue();
      this.metrics.countCall(operation);
      let failure: unknown;
      try {
        // A fresh command per attempt: some SDK commands (S3 Control) add middleware to themselves
        // when sent, and refuse to be sent twice.
        const next = attempt === 1 ? command : freshCopy(command);
        const out = (await (signal && this.options.abortInFlight !== false ? client.send(next, { abortSignal: signal }) : client.send(next))) as T;
        bucket.succeeded();
        return out;
      } catch (err) {
        failure = err;
      } finally {
        if (isOrg) this.leaveOrgQueue();
      }
      if (signal?.aborted) throw scanTimeoutError(signal);
      const kind = classifyError(failure);
      if (kind === 'throttle') {
        this.metrics.throttles += 1;
        bucket.throttled();
      }
      if (kind === 'final') throw failure;
      const timedOut = TIMEOUT_CODES.has(errorCode(failure)) || TIMEOUT_CODES.has((failure as { code?: string })?.code ?? '');
      if (attempt >= this.maxAttempts || (timedOut && attempt >= (this.options.maxTimeoutAttempts ?? 3))) {
        throw new CollectorError(errorCode(failure), `gave up after ${attempt} attempts: ${(failure as Error)?.message ?? String(failure)}`);
      }
      this.metrics.retries += 1;
      const ceiling = Math.min(MAX_DELAY_MS, this.baseDelayMs * 2 ** (attempt - 1) * (kind === 'throttle' ? 2 : 1));
      await this.sleep(Math.max(1, this.random() * ceiling));
    }
  }

  /** Drop the pacing state of an account once nothing of it is in flight (keeps memory flat). */
  releaseAccount(accountId: string): void {
    const perAccount = this.buckets.get(accountId);
    if (perAccount && [...perAccount.values()].every((b) => b.idle)) this.buckets.delete(accountId);
  }

  /** The current pace of a bucket (tests and diagnostics). */
  rateOf(target: CallTarget): number | undefined {
    return this.buckets.get(target.accountId)?.get(`${target.region}|${target.service}`)?.currentRate;
  }

  private bucket(target: CallTarget): TokenBucket {
    let perAccount = this.buckets.get(target.accountId);
    if (!perAccount) {
      perAccount = new Map();
      this.buckets.set(target.accountId, perAccount);
    }
    const key = `${target.region}|${target.service}`;
    let bucket = perAccount.get(key);
    if (!bucket) {
      const { rate, burst } = paceFor(target.service);
      bucket = new TokenBucket(rate, burst, this.options.clock);
      perAccount.set(key, bucket);
    }
    return bucket;
  }

  private async enterOrgQueue(): Promise<void> {
    if (this.orgInFlight < ORGANIZATIONS_IN_FLIGHT) {
      this.orgInFlight += 1;
      return;
    }
    await new Promise<void>((resolve) => this.orgWaiters.push(resolve));
  }

  private leaveOrgQueue(): void {
    const next = this.orgWaiters.shift();
    if (next) next();
    else this.orgInFlight -= 1;
  }
}

/** A new command of the same class and input (a command object may be sent only once). */
export function freshCopy(command: AnyCommand): AnyCommand {
  const { constructor: Ctor, input } = command as { constructor: new (input: unknown) => AnyCommand; input?: unknown };
  return new Ctor(input);
}
