/**
 * A token bucket with adaptive rate: `take()` resolves when a token is available. On throttling
 * the rate drops by 10 % (never below a quarter of the ceiling: below that, backoff does the rest);
 * each success wins back 10 % of the ceiling. Sustained throttling (a quota really exceeded) brings
 * the rate down within a dozen answers; isolated throttles barely move it. Waiters are served in
 * order.
 */
export class TokenBucket {
  private tokens: number;
  private rate: number;
  private last: number;
  private readonly queue: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly maxRate: number,
    private readonly burst: number,
    private readonly clock: () => number = performance.now.bind(performance),
    private readonly minRate = maxRate / 4,
  ) {
    this.rate = maxRate;
    this.tokens = burst;
    this.last = clock();
  }

  get currentRate(): number {
    return this.rate;
  }

  take(): Promise<void> {
    this.refill();
    if (this.queue.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.schedule();
    });
  }

  /** AWS said slow down: lower the rate and drop saved-up tokens. */
  throttled(): void {
    this.rate = Math.max(this.minRate, this.rate * 0.9);
    this.tokens = Math.min(this.tokens, 0);
  }

  /** A call went through: recover towards the ceiling additively. */
  succeeded(): void {
    if (this.rate < this.maxRate) this.rate = Math.min(this.maxRate, this.rate + this.maxRate / 10);
  }

  get idle(): boolean {
    return this.queue.length === 0;
  }

  private refill(): void {
    const now = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }

  private schedule(): void {
    if (this.timer) return;
    this.refill();
    while (this.queue.length > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      this.queue.shift()!();
    }
    if (this.queue.length === 0) return;
    const waitMs = Math.max(1, ((1 - this.tokens) / this.rate) * 1000);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.schedule();
    }, waitMs);
  }
}
