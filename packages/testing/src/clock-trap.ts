/**
 * Checks must read time only from `ctx.now` (docs/architecture.md): a check that reads the system clock gives
 * different verdicts for the same snapshot. While a check's `evaluate` runs synchronously, the
 * global Date is replaced by one that records `Date.now()` and argument-less `new Date()`.
 */
export interface ClockTrap {
  /** What the check called, e.g. `Date.now()`, in call order. */
  readonly reads: string[];
  restore(): void;
}

const TRAPPED = Symbol.for('@trailwarden/testing.clock-trap');

export function trapClock(): ClockTrap {
  const RealDate = globalThis.Date;
  const reads: string[] = [];
  if ((RealDate as unknown as Record<symbol, unknown>)[TRAPPED]) return { reads, restore: () => {} };
  function TrappedDate(this: unknown, ...args: unknown[]): unknown {
    if (!new.target) {
      reads.push('Date()');
      return RealDate();
    }
    if (args.length === 0) reads.push('new Date()');
    return Reflect.construct(RealDate, args, new.target);
  }
  TrappedDate.prototype = RealDate.prototype;
  Object.setPrototypeOf(TrappedDate, RealDate);
  Object.defineProperty(TrappedDate, 'now', {
    value: () => {
      reads.push('Date.now()');
      return RealDate.now();
    },
  });
  Object.defineProperty(TrappedDate, TRAPPED, { value: true });
  globalThis.Date = TrappedDate as unknown as DateConstructor;
  return {
    reads,
    restore: () => {
      globalThis.Date = RealDate;
    },
  };
}
