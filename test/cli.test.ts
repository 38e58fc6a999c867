import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { CLI, DEMO, FIXTURES, NOW, ROOT, run, tmp } from './helpers.js';

function reportSchemaValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(ROOT, 'reports/json/schema/trailwarden-report.schema.json'), 'utf8')));
}

describe('trailwarden CLI', () => {
  it('evaluate writes a JSON report that is valid against the published schema', () => {
    const r = run(['evaluate', DEMO, '--format', 'json', '--output', 'out', '--now', NOW]);
    expect(r.stderr).toBe('');
    const report = JSON.parse(readFileSync(join(r.cwd, 'out/trailwarden-report.json'), 'utf8'));
    const validate = reportSchemaValidator();
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.schemaVersion).toBe('1.1');
    expect(report.findings.length).toBeGreaterThan(0);
    // 1.1: every finding a check reported with a message id keeps the data its message was made from.
    expect(report.findings.filter((f: { messageId?: string; data?: object }) => f.messageId && !f.data)).toEqual([]);
    expect(r.stdout).toMatch(/Reports\n\s+json\s+out\/trailwarden-report\.json/);
  });

  it('demo writes a schema-valid JSON report and exits 0', () => {
    const r = run(['demo', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(r.cwd, 'trailwarden-demo/trailwarden-report.json'), 'utf8'));
    expect(reportSchemaValidator()(report)).toBe(true);
    expect(r.stdout).toMatch(/a real scan with these results would exit 1/);
  });

  it('gives byte-identical reports for the same snapshot apart from the scan timestamps', () => {
    const a = run(['evaluate', DEMO, '--format', 'json', '-o', 'a', '--now', NOW]);
    run(['evaluate', DEMO, '--format', 'json', '-o', 'b', '--now', NOW], a.cwd);
    const strip = (p: string) => readFileSync(join(a.cwd, p), 'utf8').replace(/"(startedAt|finishedAt)": "[^"]+"/g, '"$1": ""');
    expect(strip('a/trailwarden-report.json')).toBe(strip('b/trailwarden-report.json'));
  });

  it('gives byte-identical SARIF and JUnit for the same snapshot', () => {
    const a = run(['evaluate', DEMO, '--format', 'sarif,junit', '-o', 'a', '--now', NOW]);
    run(['evaluate', DEMO, '--format', 'sarif,junit', '-o', 'b', '--now', NOW], a.cwd);
    for (const f of ['trailwarden-report.sarif', 'trailwarden-report.junit.xml']) {
      expect(readFileSync(join(a.cwd, 'b', f), 'utf8'), f).toBe(readFileSync(join(a.cwd, 'a', f), 'utf8'));
    }
  });

  describe('exit codes', () => {
    it('0 when nothing fails and everything was read', () => {
      const r = run(['evaluate', join(FIXTURES, 'clean-snapshot.json'), '--format', 'json', '--now', NOW, '--checks', 'trail-log-file-validation']);
      expect(r.stdout).toMatch(/Exit 0/);
      expect(r.code).toBe(0);
    });
    it('1 when FAIL findings are at or above --fail-on', () => {
      expect(run(['evaluate', DEMO, '--format', 'json', '--fail-on', 'medium']).code).toBe(1);
    });
    it('not 1 when the failing findings are below --fail-on (then 3: the demo org has unreadable parts)', () => {
      expect(run(['evaluate', DEMO, '--format', 'json', '--fail-on', 'high', '--checks', 'trail-log-file-validation']).code).toBe(3);
    });
    it('3 when the scan is incomplete and nothing gates', () => {
      const r = run(['evaluate', join(FIXTURES, 'incomplete-snapshot.json'), '--format', 'json', '--checks', 'trail-log-file-validation']);
      expect(r.code).toBe(3);
      expect(r.stdout).toMatch(/555555555555: AssumeRole AccessDenied/);
    });
    it('excepted findings never gate', () => {
      const cwd = tmp();
      writeFileSync(
        join(cwd, 'trailwarden.config.yaml'),
        [
          'exceptions:',
          '  - check: trail-log-file-validation',
          '    reason: legacy trails, being replaced (JIRA SEC-123)',
          '    approver: ciso@acme.example',
          '    expires: "2099-01-01"',
          '',
        ].join('\n'),
      );
      const r = run(['evaluate', join(FIXTURES, 'incomplete-snapshot.json'), '--format', 'json', '--checks', 'trail-log-file-validation'], cwd);
      expect(r.code).toBe(3);
      const demo = run(['evaluate', DEMO, '--format', 'json', '--fail-on', 'any', '--checks', 'trail-log-file-validation'], cwd);
      const report = JSON.parse(readFileSync(join(cwd, 'trailwarden-out/trailwarden-report.json'), 'utf8'));
      expect(report.findings.filter((f: { status: string; exception?: unknown }) => f.status === 'FAIL' && !f.exception)).toEqual([]);
      expect(report.exceptions[0]).toMatchObject({ state: 'active', matched: 2 });
      expect(demo.code).toBe(3);
    });
  });

  describe('bad input: one clear line, exit 2, no stack trace', () => {
    const expectBadInput = (r: ReturnType<typeof run>, pattern: RegExp) => {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    };

    it('a snapshot that is not JSON', () => {
      const cwd = tmp();
      writeFileSync(join(cwd, 'broken.json'), '{"schemaVersion": "1.0",');
      expectBadInput(run(['evaluate', 'broken.json'], cwd), /broken\.json: is not valid JSON/);
    });
    it('a snapshot of another version', () => {
      const cwd = tmp();
      writeFileSync(join(cwd, 'old.json'), JSON.stringify({ schemaVersion: '0.9', accounts: {} }));
      expectBadInput(run(['evaluate', 'old.json'], cwd), /old\.json: schemaVersion is "0\.9", this Trailwarden reads snapshots of version 1\.0/);
    });
    it('an endpoint without a scheme', () => {
      expectBadInput(run(['collect', '--endpoint-url', 'localhost:4566', '-o', 'snap.json']), /--endpoint-url: "localhost:4566" is not an http\(s\) URL; write it with a scheme: http:\/\/localhost:4566/);
    });
    it('a profile that does not exist is named, with the ones that do', () => {
      const cwd = tmp();
      writeFileSync(join(cwd, 'config'), '[default]\n[profile audit]\nregion = eu-west-1\n');
      const r = spawnSync(process.execPath, [CLI, 'collect', '--profile', 'audti', '-o', 'snap.json'], {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, AWS_CONFIG_FILE: join(cwd, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(cwd, 'none') },
      });
      expectBadInput({ code: r.status, stdout: r.stdout, stderr: r.stderr, cwd }, /--profile: no profile "audti" in .*config; profiles there: audit, default/);
    });
    it('a snapshot from a newer Trailwarden says to upgrade, not to collect again', () => {
      const cwd = tmp();
      writeFileSync(join(cwd, 'new.json'), JSON.stringify({ schemaVersion: '7.2', accounts: {} }));
      expectBadInput(run(['evaluate', 'new.json'], cwd), /new\.json: was written by a newer Trailwarden \(snapshot version 7\.2; this one reads 1\.0\); upgrade Trailwarden/);
    });
    it('a report passed as a snapshot says so', () => {
      const cwd = tmp();
      expect(run(['evaluate', DEMO, '--format', 'json', '-o', 'out'], cwd).code).toBe(1);
      expectBadInput(run(['evaluate', 'out/trailwarden-report.json'], cwd), /trailwarden-report\.json: is a Trailwarden report, not a snapshot; evaluate reads the snapshot/);
    });
    it('a snapshot with a malformed field names the field', () => {
      const cwd = tmp();
      const snap = JSON.parse(readFileSync(DEMO, 'utf8'));
      snap.accounts['111111111111'].trails.value[0].isLogging = 'yes';
      writeFileSync(join(cwd, 'bad.json'), JSON.stringify(snap));
      expectBadInput(run(['evaluate', 'bad.json'], cwd), /bad\.json: is not a valid snapshot: accounts\.111111111111\.trails\.value\[0\]\.isLogging: is not a known field/);
    });
    it('a config typo names the file, the field and the likely fix', () => {
      const cwd = tmp();
      writeFileSync(join(cwd, 'trailwarden.config.yaml'), 'failon: high\n');
      expectBadInput(run(['evaluate', DEMO], cwd), /trailwarden\.config\.yaml: failon: is not a known setting \(did you mean "failOn"\?\)/);
    });
    it('a config value of the wrong type names its path', () => {
      const cwd = tmp();
      writeFileSync(join(cwd, 'trailwarden.config.json'), JSON.stringify({ exceptions: [{ check: 'x', reason: 'r', approver: 'a', expires: 'tomorrow' }] }));
      expectBadInput(run(['evaluate', DEMO], cwd), /trailwarden\.config\.json: exceptions\[0\]\.expires: must match pattern/);
    });
    it('an unknown check id in the config', () => {
      const cwd = tmp();
      writeFileSync(join(cwd, 'trailwarden.config.yaml'), 'checks:\n  trail-log-file-validaton: off\n');
      expectBadInput(run(['evaluate', DEMO], cwd), /checks\.trail-log-file-validaton: unknown check id \(did you mean "trail-log-file-validation"\?\)/);
    });
    it('bad check options name the option path', () => {
      const cwd = tmp();
      writeFileSync(join(cwd, 'trailwarden.config.yaml'), 'checks:\n  trail-log-file-validation:\n    options: { strict: true }\n');
      expectBadInput(run(['evaluate', DEMO], cwd), /checks\.trail-log-file-validation\.options: check trail-log-file-validation takes no options/);
    });
    it('an unknown check id on the command line', () => {
      expectBadInput(run(['evaluate', DEMO, '--checks', 'trail-multiregion-x']), /--checks: unknown check id "trail-multiregion-x"/);
    });
    it('an unknown format', () => {
      expectBadInput(run(['evaluate', DEMO, '--format', 'pdf']), /--format: unknown format "pdf"; available: html, json, junit, sarif/);
    });
    it('an unknown option and an unknown command', () => {
      expectBadInput(run(['evaluate', DEMO, '--formt', 'json']), /unknown option --formt \(did you mean "--format"\?\)/);
      expectBadInput(run(['evalute']), /unknown command "evalute" \(did you mean "evaluate"\?\)/);
    });
    it('a bad --fail-on level', () => {
      expectBadInput(run(['evaluate', DEMO, '--fail-on', 'severe']), /--fail-on: "severe" is not a level/);
    });
    it('--debug adds the stack trace', () => {
      const r = run(['evaluate', 'missing.json', '--debug']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/\n\s+at /);
    });
  });

  it('--help works on every command', () => {
    for (const cmd of ['scan', 'collect', 'evaluate', 'checks', 'demo', 'new', 'docs']) {
      const r = run([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(new RegExp(`Usage: trailwarden ${cmd}`));
    }
    expect(run(['--help']).stdout).toMatch(/Exit codes: 0 clean/);
  });

  it('demo --help names the folder the demo really writes to', () => {
    const help = run(['demo', '--help']).stdout;
    expect(help).toMatch(/--output DIR\s+directory for the reports \(default: trailwarden-demo\)/);
    expect(help).not.toMatch(/trailwarden-out/);
  });

  it('checks --framework lists controls with the checks that cover them', () => {
    const r = run(['checks', '--framework', 'cis-aws-3.0.0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3\.2\s+Ensure CloudTrail log file validation is enabled\n\s+→ trail-log-file-validation/);
    expect(run(['checks', '--framework', 'cis-aws-3.0']).stderr).toMatch(/unknown framework "cis-aws-3\.0" \(did you mean "cis-aws-3\.0\.0"\?\)/);
  });

  it('never runs a CI step into a stack trace on an early-closed pipe', () => {
    const r = spawnSync('bash', ['-c', `node ${CLI} checks | head -1`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
  });
});

