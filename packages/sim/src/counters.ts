/** Call counters, so tests can assert what a collector sent (and that it sent no mutation). */

export interface SimCounters {
  total: number;
  /** Keyed `Service.Operation`, e.g. `CloudTrail.DescribeTrails`. */
  byOperation: Record<string, number>;
  byAccount: Record<string, number>;
  byRegion: Record<string, number>;
  /** Mutating calls received (every one was refused). */
  mutations: number;
  /** Calls answered with a throttling error (quota or random). */
  throttled: number;
  /** Calls answered with an injected 500/503. */
  faults: number;
  /** Calls answered with an injected AccessDenied. */
  accessDenied: number;
  /** Calls signed with expired credentials (answered with the service's expired-token error). */
  expired: number;
}

export function emptyCounters(): SimCounters {
  return { total: 0, byOperation: {}, byAccount: {}, byRegion: {}, mutations: 0, throttled: 0, faults: 0, accessDenied: 0, expired: 0 };
}

const bump = (map: Record<string, number>, key: string) => {
  map[key] = (map[key] ?? 0) + 1;
};

export function countCall(c: SimCounters, operation: string, accountId: string, region: string): void {
  c.total++;
  bump(c.byOperation, operation);
  bump(c.byAccount, accountId);
  bump(c.byRegion, region);
}

/** A deep copy with keys sorted, so snapshots of counters compare and print deterministically. */
export function copyCounters(c: SimCounters): SimCounters {
  const sorted = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { ...c, byOperation: sorted(c.byOperation), byAccount: sorted(c.byAccount), byRegion: sorted(c.byRegion) };
}
