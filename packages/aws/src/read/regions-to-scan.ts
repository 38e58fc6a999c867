import type { RegionInfo } from '@trailwarden/core';

/** The enabled regions to read, narrowed to `--regions` when given. Pure: no SDK import (see read/index.ts). */
export function regionsToScan(regions: RegionInfo[], requested: string[] | undefined): string[] {
  const enabled = regions.filter((r) => r.enabled).map((r) => r.name);
  if (!requested || requested.length === 0) return enabled;
  const wanted = new Set(requested);
  return enabled.filter((r) => wanted.has(r));
}
