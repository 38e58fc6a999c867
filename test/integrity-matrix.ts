/** The tamper matrix of test/worlds/integrity-tamper.yaml: one member account per row, with what must be found. */
import type { ChainResult } from '@trailwarden/integrity';

export const TAMPER_WORLD = new URL('./worlds/integrity-tamper.yaml', import.meta.url).pathname;
export const FROM = '2026-11-20T00:00:00Z';
export const TO = '2026-11-20T09:00:00Z';

export interface Row {
  account: string;
  name: string;
  /** `Digest file|Log file` + reason of each non-valid file, sorted. */
  invalid: string[];
  gaps: string[];
  unreferenced: number;
}

const restart = 'chain-restart 04:00-05:00';
export const ROWS: Row[] = [
  { account: '200000000001', name: 'baseline', invalid: [], gaps: [restart], unreferenced: 0 },
  { account: '200000000002', name: 'log changed', invalid: ["log: hash value doesn't match"], gaps: [restart], unreferenced: 0 },
  { account: '200000000003', name: 'log deleted', invalid: ['log: not found'], gaps: [restart], unreferenced: 0 },
  { account: '200000000004', name: 'gzip member appended', invalid: ['log: unexpected data after end of compressed stream'], gaps: [restart], unreferenced: 0 },
  { account: '200000000005', name: 'digest deleted', invalid: ['digest: not found'], gaps: [restart, 'unexplained 06:00-07:00'], unreferenced: 1 },
  { account: '200000000006', name: 'two digests deleted (aws-cli #7054)', invalid: ['digest: not found'], gaps: [restart, 'unexplained 06:00-08:00'], unreferenced: 3 },
  { account: '200000000007', name: 'last two before the stop deleted', invalid: [], gaps: ['unexplained 02:00-05:00'], unreferenced: 4 },
  { account: '200000000008', name: 'digest edited', invalid: ['digest: signature verification failed'], gaps: [restart, 'unexplained 06:00-07:00'], unreferenced: 1 },
  { account: '200000000009', name: 'attacker key', invalid: ['digest: public key not found in region us-east-1 for fingerprint *'], gaps: [restart, 'unexplained 06:00-07:00'], unreferenced: 1 },
  { account: '200000000010', name: 'attacker key, spoofed fingerprint', invalid: ['digest: signature verification failed'], gaps: [restart, 'unexplained 06:00-07:00'], unreferenced: 1 },
  { account: '200000000011', name: 'digest moved', invalid: ['digest: has been moved from its original location', 'digest: not found'], gaps: [restart, 'unexplained 06:00-07:00'], unreferenced: 0 },
  { account: '200000000012', name: 'signature metadata stripped', invalid: ['digest: signature verification failed'], gaps: [restart, 'unexplained 06:00-07:00'], unreferenced: 0 },
  { account: '200000000013', name: 'log injected', invalid: [], gaps: [restart], unreferenced: 1 },
];

/** What a chain shows, in the shape of a Row. */
export function observed(chain: ChainResult): Omit<Row, 'account' | 'name'> {
  return {
    invalid: chain.files
      .filter((f) => f.status === 'INVALID')
      .map((f) => `${f.kind}: ${(f.reason ?? '').replace(/fingerprint [0-9a-f]{32}$/, 'fingerprint *')}`)
      .sort(),
    gaps: chain.gaps.map((g) => `${g.label} ${g.start.slice(11, 16)}-${g.end.slice(11, 16)}`),
    unreferenced: chain.unreferenced.length,
  };
}
