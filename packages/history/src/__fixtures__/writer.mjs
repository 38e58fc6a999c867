// Records one synthetic scan of N findings into a history file, through the built package.
// Used by history.test.ts (concurrent writers; SIGKILL in the middle of a record).
import { History } from '../../dist/index.js';

const [file, n, mode] = process.argv.slice(2);
const count = Number(n);
const findings = Array.from({ length: count }, (_, i) => ({
  checkId: 'trail-bench',
  status: i % 3 === 0 ? 'FAIL' : 'PASS',
  severity: 'high',
  accountId: String(100000000000 + (i % 1000)),
  region: 'us-east-1',
  resource: { arn: `arn:aws:cloudtrail:us-east-1:${100000000000 + (i % 1000)}:trail/t${i}`, type: 'AWS::CloudTrail::Trail', name: `t${i}` },
  message: `Trail t${i} finding number ${i} with a message of realistic length for a report line.`,
  messageId: 'x',
  evidence: { isLogging: i % 3 !== 0, index: i },
  frameworks: { 'aws-fsbp': ['CloudTrail.3'] },
  fingerprint: `fp${process.pid}-${i}`,
}));
const now = new Date().toISOString();
const result = {
  tool: { name: 'trailwarden', version: 'test' },
  scan: { startedAt: now, finishedAt: now, collectedAt: now, partition: 'aws', mode: 'fixture', accounts: [], regions: [], notes: [] },
  coverage: { accounts: [], errors: [], complete: true },
  checks: [],
  findings,
  exceptions: [],
  frameworks: [],
};
const h = await History.open(file);
if (mode === 'signal') {
  // Say when the transaction has begun: wrap the first finding's evidence getter.
  let told = false;
  Object.defineProperty(findings[1], 'evidence', {
    get() {
      if (!told) {
        told = true;
        process.stdout.write('writing\n');
      }
      return { told: true };
    },
  });
}
h.record({ result, snapshotDigest: 'x', plugins: [] });
h.close();
