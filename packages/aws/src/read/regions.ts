import { DescribeRegionsCommand, type DescribeRegionsCommandOutput } from '@aws-sdk/client-ec2';
import type { Known, RegionInfo } from '@trailwarden/core';
import { readKnown } from '../known-read.js';
import type { Metrics } from '../pacing/metrics.js';
import type { AccountSession } from '../session.js';

const OPT_IN = new Set(['opt-in-not-required', 'opted-in', 'not-opted-in']);

/** Every region with its opt-in status (DescribeRegions AllRegions=true), sorted by name. */
export async function readRegions(session: AccountSession, homeRegion: string, metrics: Metrics): Promise<Known<RegionInfo[]>> {
  return readKnown({ accountId: session.accountId, region: homeRegion, metrics }, 'DescribeRegions', async () => {
    const out = await session.send<DescribeRegionsCommandOutput>('ec2', homeRegion, new DescribeRegionsCommand({ AllRegions: true }));
    const regions: RegionInfo[] = [];
    for (const r of out.Regions ?? []) {
      if (!r.RegionName) continue;
      const status = (OPT_IN.has(r.OptInStatus ?? '') ? r.OptInStatus : 'opt-in-not-required') as RegionInfo['optInStatus'];
      regions.push({ name: r.RegionName, optInStatus: status, enabled: status !== 'not-opted-in' });
    }
    return regions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  });
}

export { regionsToScan } from './regions-to-scan.js';
