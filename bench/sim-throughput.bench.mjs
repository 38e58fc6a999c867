// Simulator throughput: calls/s at concurrency 64 through the real AWS SDK v3 clients.
// Needs the built package (pnpm --filter @trailwarden/sim build). Prints one JSON line of figures.
// Bounded: each phase stops after CALLS calls or SECONDS seconds, whichever comes first.
// The simulator runs in a child process, so the SDK clients (which cost more CPU than the server) and
// the server each get a core, as they would when the collector runs against `trailwarden sim`.
import { spawn } from 'node:child_process';
import { Agent } from 'node:http';
import { createRequire } from 'node:module';

const CONCURRENCY = Number(process.env.SIM_BENCH_CONCURRENCY ?? 64);
const CALLS = Number(process.env.SIM_BENCH_CALLS ?? 20000);
const SECONDS = Number(process.env.SIM_BENCH_SECONDS ?? 8);

// The SDK clients are devDependencies of @trailwarden/sim: resolve them from there.
const simRequire = createRequire(new URL('../packages/sim/package.json', import.meta.url));
const sdk = (name) => simRequire(name);
const { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand } = sdk('@aws-sdk/client-cloudtrail');
const { S3Client, GetBucketPolicyCommand, GetBucketVersioningCommand } = sdk('@aws-sdk/client-s3');
const { STSClient, GetCallerIdentityCommand } = sdk('@aws-sdk/client-sts');
const { KMSClient, DescribeKeyCommand } = sdk('@aws-sdk/client-kms');
const { IAMClient, GetAccountAuthorizationDetailsCommand } = sdk('@aws-sdk/client-iam');
const { NodeHttpHandler } = createRequire(simRequire.resolve('@aws-sdk/client-cloudtrail'))('@smithy/node-http-handler');

const SERVER = `
  const { DEMO_WORLD_PATH, startSimulator } = await import(${JSON.stringify(new URL('../packages/sim/dist/index.js', import.meta.url).href)});
  const sim = await startSimulator({ world: DEMO_WORLD_PATH });
  process.send({ url: sim.url, credentials: sim.callerCredentials });
  process.on('message', async (m) => {
    if (m === 'reset') { sim.resetCounters(); process.send('reset'); }
    if (m === 'stop') { const counters = sim.counters(); await sim.stop(); process.send({ counters }); process.disconnect(); }
  });
`;
const child = spawn(process.execPath, ['--input-type=module', '-e', SERVER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const nextMessage = () => new Promise((resolve) => child.once('message', resolve));
const ready = await nextMessage();
const sim = { url: ready.url, callerCredentials: ready.credentials };
const requestHandler = new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }) });
const sts = new STSClient({ endpoint: sim.url, region: 'us-east-1', credentials: sim.callerCredentials, requestHandler });
const assumed = await sts.send(
  new (sdk('@aws-sdk/client-sts').AssumeRoleCommand)({ RoleArn: 'arn:aws:iam::318273645501:role/TrailwardenAudit', RoleSessionName: 'bench' }),
);
const archive = {
  accessKeyId: assumed.Credentials.AccessKeyId,
  secretAccessKey: assumed.Credentials.SecretAccessKey,
  sessionToken: assumed.Credentials.SessionToken,
};
const config = { endpoint: sim.url, region: 'us-east-1', credentials: sim.callerCredentials, requestHandler, maxAttempts: 1 };
const cloudtrail = new CloudTrailClient(config);
const s3 = new S3Client({ ...config, credentials: archive, forcePathStyle: true });
const kms = new KMSClient({ ...config, credentials: archive });
const iam = new IAMClient(config);
const bucket = 'acme-org-cloudtrail-logs-318273645501';

const workloads = {
  // One protocol: awsJson (CloudTrail DescribeTrails).
  json: [() => cloudtrail.send(new DescribeTrailsCommand({}))],
  // What a collector sends: every protocol, small and large answers.
  mixed: [
    () => cloudtrail.send(new DescribeTrailsCommand({})),
    () => cloudtrail.send(new GetTrailStatusCommand({ Name: 'acme-org-trail' })),
    () => s3.send(new GetBucketPolicyCommand({ Bucket: bucket })),
    () => s3.send(new GetBucketVersioningCommand({ Bucket: bucket })),
    () => kms.send(new DescribeKeyCommand({ KeyId: 'alias/cloudtrail-org' })),
    () => sts.send(new GetCallerIdentityCommand({})),
    () => iam.send(new GetAccountAuthorizationDetailsCommand({})),
  ],
};

async function run(calls) {
  const latencies = [];
  let next = 0;
  let errors = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  async function worker() {
    while (next < CALLS && performance.now() < deadline) {
      const call = calls[next++ % calls.length];
      const t0 = performance.now();
      try {
        await call();
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => Number(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(2));
  return { calls: latencies.length, errors, seconds: Number(seconds.toFixed(2)), callsPerSecond: Math.round(latencies.length / seconds), p50Ms: pct(0.5), p99Ms: pct(0.99) };
}

// Warm up sockets and JIT, then measure.
await run(workloads.json.concat(workloads.mixed)).catch(() => undefined);
child.send('reset');
await nextMessage();
const json = await run(workloads.json);
const mixed = await run(workloads.mixed);
child.send('stop');
const { counters } = await nextMessage();
requestHandler.destroy();

console.log(
  JSON.stringify({
    bench: 'sim-throughput',
    node: process.version,
    concurrency: CONCURRENCY,
    json,
    mixed,
    serverCalls: counters.total,
    mutations: counters.mutations,
  }),
);
