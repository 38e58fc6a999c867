/**
 * Issue 12: each attack found by the adversarial review, as a fixture run through the built CLI,
 * asserting the safe outcome. Whoever controls a name in one account, a config file in a branch, or
 * a plugin must not be able to hide a finding, fake a green run, hang the scan or reach secrets.
 */
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:net';
import { join } from 'node:path';
import type { Snapshot } from '@trailwarden/core';
import { DEMO_WORLD_PATH, type SimServer, startSimulator } from '@trailwarden/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, FIXTURES, NOW, ROOT, run, runWithSimulator, tmp, writePluginPackage } from '../helpers.js';

const CORE = join(ROOT, 'packages/core/dist/index.js');
const BEL_ESC_BIDI = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const ONE_CHECK = ['--checks', 'trail-log-file-validation'];

/** A plugin check collecting `command` once per account (the attack is the declaration, not the check). */
function collectingPlugin(cwd: string, command: string, config = ''): string {
  writePluginPackage(
    join(cwd, 'p'),
    `import { defineCheck } from '${CORE}';
export default defineCheck({
  id: 'acme-collects',
  meta: { title: 'Collects', description: 'd', severity: 'low', resource: 'AWS::::Account', remediation: { text: 'r' }, messages: { ok: 'ok' } },
  requires: [],
  collect: { data: { command: '${command}', per: 'account' } },
  evaluate() {},
});
`,
    'trailwarden-plugin-collects',
  );
  writeFileSync(join(cwd, 'trailwarden.config.yaml'), `plugins: [./p]\n${config}`);
  return cwd;
}

/** The demo snapshot with `mutate` applied, written into `cwd`. */
function snapshotWith(cwd: string, mutate: (s: Snapshot) => void, file = 'snap.json'): string {
  const s = JSON.parse(readFileSync(DEMO, 'utf8')) as Snapshot;
  mutate(s);
  writeFileSync(join(cwd, file), JSON.stringify(s));
  return file;
}

function renameTrails(s: Snapshot, from: string, to: string): void {
  for (const a of Object.values(s.accounts)) for (const t of a.trails?.value ?? []) if (t.name === from) t.name = to;
}

const json = (cwd: string, dir = 'trailwarden-out') => JSON.parse(readFileSync(join(cwd, dir, 'trailwarden-report.json'), 'utf8'));
const sarif = (cwd: string, dir = 'trailwarden-out') => JSON.parse(readFileSync(join(cwd, dir, 'trailwarden-report.sarif'), 'utf8'));

describe('hostile: plugin collection cannot reach secrets (item 4)', () => {
  it.each([
    ['secrets-manager:GetSecretValue', 'secretsmanager:GetSecretValue'],
    ['lambda:GetFunctionConfiguration', 'lambda:GetFunctionConfiguration'],
    ['ec2:DescribeLaunchTemplateVersions', 'ec2:DescribeLaunchTemplateVersions'],
    ['glue:GetConnection', 'glue:GetConnection'],
    ['codeartifact:GetAuthorizationToken', 'codeartifact:GetAuthorizationToken'],
    ['dynamodb:GetItem', 'dynamodb:GetItem'],
    ['cloudwatch-logs:GetLogEvents', 'logs:GetLogEvents'],
    ['redshift:GetClusterCredentials', 'redshift:GetClusterCredentials'],
  ])('%s is refused when the plugin loads: exit 2, one line, even with collection.allow', (command, action) => {
    const cwd = collectingPlugin(tmp(), command, `collection: { allow: ["${action}"] }\n`);
    const r = run(['evaluate', DEMO], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`command "${command}" is refused: it reads secrets, credentials or customer data (${action})`);
  });

  describe('against the simulator', () => {
    let sim: SimServer;
    beforeAll(async () => {
      sim = await startSimulator({ world: DEMO_WORLD_PATH, port: 0 });
    });
    afterAll(async () => {
      await sim?.stop();
    });

    it('a package named to hide its service is judged by the client service id, before any AWS call', async () => {
      const cwd = collectingPlugin(tmp(), 'acme-vault:GetSecretValue');
      // An SDK-shaped package whose client says it is Secrets Manager.
      const pkg = join(cwd, 'node_modules/@aws-sdk/client-acme-vault');
      mkdirSync(pkg, { recursive: true });
      writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@aws-sdk/client-acme-vault', version: '1.0.0', type: 'module', main: 'index.js' }));
      writeFileSync(
        join(pkg, 'index.js'),
        `export class AcmeVaultClient { constructor(c) { this.config = { ...c, serviceId: 'Secrets Manager' }; } async send() { return { SecretString: 'hunter2' }; } destroy() {} }
export class GetSecretValueCommand { constructor(input) { this.input = input; } }\n`,
      );
      sim.resetCounters();
      const r = await runWithSimulator(sim, ['scan', '--endpoint-url', sim.url, '--checks', 'acme-collects', '--format', 'json'], cwd);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('secretsmanager:GetSecretValue is refused');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(sim.counters().total).toBe(0);
    });

    it('an action off the allow-list needs collection.allow, and the scan prints the extra IAM actions', async () => {
      const denied = await runWithSimulator(sim, ['scan', '--endpoint-url', sim.url, '--checks', 'acme-collects', '--format', 'json'], collectingPlugin(tmp(), 'ec2:GetSerialConsoleAccessStatus'));
      expect(denied.code).toBe(2);
      expect(denied.stderr).toContain('ec2:GetSerialConsoleAccessStatus is not on Trailwarden\'s read-only metadata allow-list; if it returns only configuration, add "ec2:GetSerialConsoleAccessStatus" to collection.allow');
      const cwd = collectingPlugin(tmp(), 'ec2:GetSerialConsoleAccessStatus', 'collection: { allow: ["ec2:GetSerialConsoleAccessStatus"] }\n');
      const allowed = await runWithSimulator(sim, ['scan', '--endpoint-url', sim.url, '--checks', 'acme-collects', '--format', 'json'], cwd);
      expect(allowed.stderr).toContain("plugin collection needs these IAM actions beyond the collector's own: ec2:GetSerialConsoleAccessStatus (collection.allow)");
      expect([0, 3]).toContain(allowed.code);
      expect(json(cwd).provenance.collectionAllow).toEqual(['ec2:GetSerialConsoleAccessStatus']);
    });
  });
});

describe('hostile: a config file in the working directory (item 5)', () => {
  const pluginCwd = () => {
    const cwd = tmp();
    writePluginPackage(join(cwd, 'p'), `import { defineReporter } from '${CORE}';\nexport default defineReporter({ id: 'count', extension: '.count.txt', description: 'd', render: (r) => String(r.findings.length) });\n`);
    return cwd;
  };

  it('announces the config and its plugins (name, version, path) on stderr, even with --quiet', () => {
    const cwd = pluginCwd();
    writeFileSync(join(cwd, 'trailwarden.config.yaml'), 'plugins: [./p]\nfailOn: none\n');
    const r = run(['evaluate', DEMO, '--quiet', ...ONE_CHECK], cwd);
    expect(r.stderr).toContain(`trailwarden: config: ${join(cwd, 'trailwarden.config.yaml')}\n`);
    expect(r.stderr).toContain(`trailwarden: plugin: trailwarden-plugin-acme 1.2.3 from ${join(cwd, 'p/index.js')}\n`);
  });

  it('--no-config ignores it (the gate comes back), --no-plugins loads only the built-in plugins', () => {
    const cwd = pluginCwd();
    // A branch that turns the gate off and loads code.
    writeFileSync(join(cwd, 'trailwarden.config.yaml'), 'plugins: [./p]\nfailOn: none\n');
    expect(run(['evaluate', DEMO, ...ONE_CHECK], cwd).code).not.toBe(1);
    const noConfig = run(['evaluate', DEMO, '--no-config', ...ONE_CHECK], cwd);
    expect(noConfig.code).toBe(1);
    expect(noConfig.stderr).toBe('');
    const noPlugins = run(['evaluate', DEMO, '--no-plugins', '--format', 'json', ...ONE_CHECK], cwd);
    expect(noPlugins.stderr).toContain("--no-plugins: not loading the config's plugins ./p");
    expect(noPlugins.stderr).not.toContain('plugin: trailwarden-plugin-acme');
    expect(json(cwd).provenance.plugins.every((p: { builtin: boolean }) => p.builtin)).toBe(true);
  });

  it('a config naming aws.endpointUrl is refused, naming the field', () => {
    const cwd = tmp();
    writeFileSync(join(cwd, 'trailwarden.config.yaml'), 'aws: { endpointUrl: "http://attacker.example:8080" }\n');
    const r = run(['evaluate', DEMO], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^trailwarden: .*trailwarden\.config\.yaml: aws\.endpointUrl: is not read from a config file .*use --endpoint-url or AWS_ENDPOINT_URL\n$/);
  });

  it('every report records the endpoint, the config and snapshot digests and the plugin list', async () => {
    const sim = await startSimulator({ world: DEMO_WORLD_PATH, port: 0 });
    try {
      const cwd = tmp();
      writeFileSync(join(cwd, 'trailwarden.config.yaml'), 'failOn: none\n');
      const r = await runWithSimulator(sim, ['scan', '--endpoint-url', sim.url, '--keep-snapshot', ...ONE_CHECK], cwd);
      expect([0, 3]).toContain(r.code);
      const p = json(cwd).provenance;
      expect(p.endpoint).toBe(sim.url);
      expect(p.configPath).toBe(join(cwd, 'trailwarden.config.yaml'));
      expect(p.configDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(p.snapshotDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(p.plugins.map((x: { name: string }) => x.name)).toContain('@trailwarden/check-validation');
      expect(sarif(cwd).runs[0].properties.provenance).toEqual(p);
      const junit = readFileSync(join(cwd, 'trailwarden-out/trailwarden-report.junit.xml'), 'utf8');
      expect(junit).toContain(`<property name="snapshotDigest" value="${p.snapshotDigest}"/>`);
      expect(junit).toContain(`<property name="endpoint" value="${sim.url}"/>`);
      const html = readFileSync(join(cwd, 'trailwarden-out/trailwarden-report.html'), 'utf8');
      expect(html).toContain(p.snapshotDigest);
      expect(html).toContain(p.configDigest);
      // The digest is of the snapshot that was evaluated: the same file re-evaluated gives the same digest.
      run(['evaluate', 'trailwarden-out/trailwarden-snapshot.json', '--format', 'json', '-o', 'again', ...ONE_CHECK], cwd);
      expect(json(cwd, 'again').provenance.snapshotDigest).toBe(p.snapshotDigest);
    } finally {
      await sim.stop();
    }
  });
});

describe('hostile: exit codes a CI can trust (item 6)', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await startSimulator({ world: DEMO_WORLD_PATH, port: 0 });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('an output directory blocked by a file is exit 2 before any AWS call', async () => {
    const cwd = tmp();
    writeFileSync(join(cwd, 'blocker'), 'a file');
    sim.resetCounters();
    const r = await runWithSimulator(sim, ['scan', '--endpoint-url', sim.url, '--output', 'blocker/reports'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^trailwarden: --output: cannot create the directory .*blocker\/reports \(a file is in the way of the directory\)\n$/);
    expect(sim.counters().total).toBe(0);
    const collect = await runWithSimulator(sim, ['collect', '--endpoint-url', sim.url, '-o', 'blocker/snap.json'], cwd);
    expect(collect.code).toBe(2);
    mkdirSync(join(cwd, 'adir'));
    const intoDir = await runWithSimulator(sim, ['collect', '--endpoint-url', sim.url, '-o', 'adir'], cwd);
    expect(intoDir.code).toBe(2);
    expect(intoDir.stderr).toContain('is a directory; name a file');
    expect(sim.counters().total).toBe(0);
  });

  it('a scan that selected no account is exit 2 with the reason', async () => {
    const r = await runWithSimulator(sim, ['scan', '--endpoint-url', sim.url, '--accounts', '999999999999', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^trailwarden: the scan selected no account: Account 999999999999 \(from --accounts\) is not in the organization; not scanned\.\n$/);
  });

  it('a mistyped region is exit 2 with did-you-mean, not silently dropped, before any account is read', async () => {
    sim.resetCounters();
    const r = await runWithSimulator(sim, ['scan', '--endpoint-url', sim.url, '--regions', 'eu-west-9', '--format', 'json', ...ONE_CHECK]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^trailwarden: regions: "eu-west-9" is not a region of this partition \(did you mean "eu-west-1"\?\); known: .*\n$/);
    const ops = Object.keys(sim.counters().byOperation);
    expect(ops.some((op) => op.endsWith('.DescribeRegions'))).toBe(true);
    expect(ops.filter((op) => op.endsWith('.AssumeRole'))).toEqual([]);
  });

  it('an exception naming an unknown check id or an account outside the organization is a config error with did-you-mean', () => {
    const cwd = tmp();
    const ex = (check: string, account: string) =>
      `exceptions:\n  - check: ${check}\n    accounts: ["${account}"]\n    reason: r\n    approver: a@example.com\n    expires: "2027-01-01"\n`;
    writeFileSync(join(cwd, 'trailwarden.config.yaml'), ex('trail-log-file-validaton', '111111111111'));
    const unknown = run(['evaluate', DEMO], cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/exceptions\[0\]\.check: unknown check id "trail-log-file-validaton" \(did you mean "trail-log-file-validation"\?\)/);
    writeFileSync(join(cwd, 'trailwarden.config.yaml'), ex('trail-log-file-validation', '111111111112'));
    const outside = run(['evaluate', DEMO], cwd);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/exceptions\[0\]\.accounts\[0\]: account 111111111112 is not in the organization \(did you mean "111111111111"\?\)\n$/);
  });
});

describe('hostile: an endpoint that never answers (item 7)', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    // Accepts every connection, reads, never writes.
    server = createServer((socket) => socket.on('data', () => {}));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('stops at --timeout with exit 3 and one line saying why, instead of hanging', async () => {
    const started = Date.now();
    const r = await runWithSimulator({ callerCredentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } }, ['scan', '--endpoint-url', `http://127.0.0.1:${port}`, '--timeout', '3s']);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('trailwarden: the scan reached its overall time limit of 3s (--timeout), before the caller could be identified: nothing was read and no report was written\n');
  });

  it('stopped mid-scan, it writes what it has, marked incomplete with the reason, and exits 3', async () => {
    const slow = await startSimulator({ world: DEMO_WORLD_PATH, port: 0, inject: { latency: { medianMs: 700, p99Ms: 700 } }, seed: 1 });
    try {
      const cwd = tmp();
      const r = await runWithSimulator(slow, ['scan', '--endpoint-url', slow.url, '--timeout', '4s', '--fail-on', 'none'], cwd);
      expect(r.code).toBe(3);
      const report = json(cwd);
      expect(report.summary.complete).toBe(false);
      expect(report.scan.notes.join(' ')).toMatch(/The scan stopped early: the scan reached its overall time limit of 4s \(--timeout\)/);
      expect(report.provenance.stopped).toMatch(/time limit of 4s/);
      expect(report.coverage.errors.some((e: { code: string }) => e.code === 'ScanTimeout')).toBe(true);
    } finally {
      await slow.stop();
    }
  });
});

describe('hostile: SARIF keeps what could not be read open (item 8)', () => {
  it('an unreadable resource is a result with the fingerprint of its FAIL, level warning, an honest message', () => {
    const cwd = tmp();
    const r = run(['evaluate', join(FIXTURES, 'incomplete-snapshot.json'), '--format', 'json,sarif'], cwd);
    expect([1, 3]).toContain(r.code);
    const errors = json(cwd).findings.filter((f: { status: string }) => f.status === 'ERROR');
    expect(errors.length).toBeGreaterThan(0);
    const results = sarif(cwd).runs[0].results.filter((x: { properties: { status: string } }) => x.properties.status === 'ERROR');
    expect(results.map((x: { partialFingerprints: Record<string, string> }) => x.partialFingerprints['trailwarden/v1']).sort()).toEqual(
      errors.map((f: { fingerprint: string }) => f.fingerprint).sort(),
    );
    for (const x of results) {
      expect(x.level).toBe('warning');
      expect(x.message.text).toMatch(/^Not evaluated: .* its alert stays open until it can; this is not a confirmed violation\.$/);
    }
  });
});

describe('hostile: expired exceptions are called out everywhere (item 9)', () => {
  it('in the terminal summary, --quiet, SARIF, JUnit, JSON and HTML; expiring ones are warned about', () => {
    const cwd = tmp();
    const rule = (id: string, expires: string) =>
      `  - id: ${id}\n    check: trail-log-file-validation\n    reason: r\n    approver: ciso@example.com\n    expires: "${expires}"\n`;
    writeFileSync(join(cwd, 'trailwarden.config.yaml'), `exceptions:\n${rule('old', '2026-10-01')}${rule('soon', '2026-12-01')}${rule('later', '2027-06-30')}`);
    const r = run(['evaluate', DEMO, '--now', NOW, ...ONE_CHECK], cwd);
    expect(r.stdout).toMatch(/exception old \(check trail-log-file-validation, resource \*, approver ciso@example\.com\) expired on 2026-10-01: it no longer applies/);
    expect(r.stdout).toMatch(/exception soon .* expires on 2026-12-01, in 10 day\(s\)/);
    expect(r.stdout).not.toMatch(/exception later/);
    const quiet = run(['evaluate', DEMO, '--now', NOW, '--quiet', ...ONE_CHECK], cwd);
    expect(quiet.stderr).toMatch(/trailwarden: exception old .* expired on 2026-10-01/);
    const notes = sarif(cwd).runs[0].invocations[0].toolExecutionNotifications.map((n: { descriptor: { id: string } }) => n.descriptor.id);
    expect(notes).toEqual(expect.arrayContaining(['trailwarden/exception-expired', 'trailwarden/exception-expiring']));
    const junit = readFileSync(join(cwd, 'trailwarden-out/trailwarden-report.junit.xml'), 'utf8');
    expect(junit).toMatch(/<testcase classname="trailwarden.run" name="exception old">\s*<failure message="Exception old [^"]*expired on 2026-10-01/);
    expect(junit).toMatch(/name="exception soon">\s*<system-out>warning: Exception soon/);
    const report = json(cwd);
    expect(report.summary).toMatchObject({ expiredExceptions: 1, expiringExceptions: 1 });
    expect(report.exceptions.find((e: { id: string }) => e.id === 'soon')).toMatchObject({ state: 'active', expiresSoon: true, daysLeft: 10 });
    const html = readFileSync(join(cwd, 'trailwarden-out/trailwarden-report.html'), 'utf8');
    expect(html).toContain('1 exception(s) have expired');
    expect(html).toContain('1 exception(s) expire within 30 days');
  });
});

describe('hostile: terminal and report hygiene (item 10)', () => {
  const FAKE_EXIT = '\u001b[2J\u001b[H\u001b[32mExit 0: no FAIL finding at or above --fail-on any.\u001b[0m\u202e';

  it('control and bidi characters from the snapshot never reach the terminal raw', () => {
    const cwd = tmp();
    const file = snapshotWith(cwd, (s) => {
      renameTrails(s, 'security-audit', `security-audit${FAKE_EXIT}`);
      s.scope.notes = [...(s.scope.notes ?? []), `note${FAKE_EXIT}\nExit 0: forged`];
      s.accounts['555555555555']!.access = { error: { code: `AccessDenied${FAKE_EXIT}`, message: 'm', operation: `AssumeRole\u009b2J`, accountId: '555555555555' } };
    });
    const r = run(['evaluate', file, '--format', 'json'], cwd);
    expect([1, 3]).toContain(r.code);
    expect(r.stdout + r.stderr).not.toMatch(BEL_ESC_BIDI);
    expect(r.stdout).toContain('\\x1b[2J');
    // Only the real verdict line starts with "Exit".
    expect(r.stdout.split('\n').filter((l) => /^\s*Exit \d/.test(l))).toEqual([expect.stringMatching(/^Exit [13]: /)]);
  });

  it('a lone surrogate and [text](url) in names: SARIF is written, URIs encode, links are escaped', () => {
    const cwd = tmp();
    const file = snapshotWith(cwd, (s) => renameTrails(s, 'security-audit', 'sec\uD800urity [click](https://evil.example/)'));
    const r = run(['evaluate', file, '--format', 'sarif,json', ...ONE_CHECK], cwd);
    expect(r.code).toBe(1);
    const results = sarif(cwd).runs[0].results as { message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    const hit = results.find((x) => x.message.text.includes('click'))!;
    expect(hit.message.text).toContain('sec\uFFFDurity \\[click\\](https://evil.example/)');
    expect(hit.locations[0]!.physicalLocation.artifactLocation.uri).toContain('sec%EF%BF%BDurity');
  });

  it('reports are written through a random, exclusively created temp file: a planted symlink is replaced, never followed', () => {
    const cwd = tmp();
    const out = join(cwd, 'trailwarden-out');
    mkdirSync(out);
    writeFileSync(join(cwd, 'victim'), 'keep me');
    symlinkSync(join(cwd, 'victim'), join(out, 'trailwarden-report.json'));
    const r = run(['evaluate', DEMO, '--format', 'json', ...ONE_CHECK], cwd);
    expect(r.code).toBe(1);
    expect(readFileSync(join(cwd, 'victim'), 'utf8')).toBe('keep me');
    expect(json(cwd).findings.length).toBeGreaterThan(0);
    expect(readdirSync(out)).toEqual(['trailwarden-report.json']);
  });
});

describe('hostile: size bounds (item 12)', () => {
  it('a 20 MB string is cut and marked in the reports, and the reports stay small', () => {
    const cwd = tmp();
    const huge = `big-${'x'.repeat(20 * 1024 * 1024)}`;
    const file = snapshotWith(cwd, (s) => renameTrails(s, 'security-audit', huge));
    const r = run(['evaluate', file, '-o', 'out', ...ONE_CHECK], cwd);
    expect(r.code).toBe(1);
    const sizes = readdirSync(join(cwd, 'out')).map((f) => readFileSync(join(cwd, 'out', f)).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(2 * 1024 * 1024);
    const report = json(cwd, 'out');
    expect(report.limits.truncatedStrings).toBeGreaterThan(0);
    const cut = report.findings.find((f: { resource: { name: string } }) => f.resource.name.startsWith('big-'));
    expect(cut.resource.name).toMatch(/… \[truncated by Trailwarden: 20971524 characters in the snapshot\]$/);
    expect(r.stdout).toMatch(/string\(s\) over 8192 characters were cut in the reports/);
  });
});
