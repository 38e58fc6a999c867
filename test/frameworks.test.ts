import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO, NOW, run } from './helpers.js';

/** Frameworks come from the packs: every output says how much of a framework is automated and lists manual controls as manual. */
describe('frameworks as packs, end to end', () => {
  it('`checks --framework` says "N of M controls in scope automated" and marks partial and manual controls', () => {
    const r = run(['checks', '--framework', 'cis-aws-3.0.0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/In scope: §3 Logging and §4 Monitoring\. 22 of 25 controls in scope automated \(3 partly\), 3 manual\./);
    expect(r.stdout).toMatch(/3\.3 +Ensure AWS Config is enabled in all regions\n +→ manual\n/);
    expect(r.stdout).toMatch(/3\.8 +Ensure that object-level logging for write events is enabled for S3 buckets\n +→ trail-s3-data-events-write \(partly\)\n +CIS asks for object-level logging of every S3 bucket; trailwarden judges the buckets that receive CloudTrail logs only/);
    const json = JSON.parse(run(['checks', '--framework', 'aws-fsbp', '--json']).stdout);
    expect(json.automation).toEqual({ total: 12, automated: 8, partial: 0, manual: 4 });
    expect(json.controls.find((c: { id: string }) => c.id === 'CloudTrail.3')).toMatchObject({ automation: 'automated', checks: ['trail-logging-active', 'trail-logging-continuity'] });
  });

  it('every report shows the automation of each framework, and manual controls never as PASS', () => {
    const r = run(['evaluate', DEMO, '--format', 'json,html,sarif,junit', '--now', NOW, '-o', 'out', '--fail-on', 'none']);
    expect([0, 3]).toContain(r.code);
    // Terminal.
    expect(r.stdout).toMatch(/Frameworks \(manual controls are listed in the reports, never as passed\)\n(.*\n)*? +cis-aws-3\.0\.0 +22 of 25 controls in scope automated \(3 partly\), 3 manual/);
    // JSON.
    const report = JSON.parse(readFileSync(join(r.cwd, 'out/trailwarden-report.json'), 'utf8'));
    const cis = report.frameworks.find((f: { id: string }) => f.id === 'cis-aws-3.0.0');
    expect(cis.automation).toEqual({ total: 25, automated: 19, partial: 3, manual: 3 });
    const manual = cis.controls.filter((c: { automation: string }) => c.automation === 'manual');
    expect(manual.map((c: { id: string }) => c.id)).toEqual(['3.3', '3.7', '4.16']);
    for (const c of manual) expect(c).toMatchObject({ status: 'MANUAL', checks: [] });
    for (const fw of report.frameworks) for (const c of fw.controls) if (c.status === 'PASS') expect(c.automation).not.toBe('manual');
    // HTML.
    const html = readFileSync(join(r.cwd, 'out/trailwarden-report.html'), 'utf8');
    expect(html).toMatch(/22 of 25 controls in scope automated \(3 partly\), 3 manual/);
    expect(html).toMatch(/<span class="badge st-manual">Manual<\/span>/);
    // SARIF (results are findings; the manual controls are named in the run's properties).
    const sarif = JSON.parse(readFileSync(join(r.cwd, 'out/trailwarden-report.sarif'), 'utf8'));
    expect(sarif.runs[0].properties.frameworks).toContainEqual({ id: 'cis-aws-3.0.0', automation: '22 of 25 controls in scope automated (3 partly), 3 manual', manualControls: ['3.3', '3.7', '4.16'] });
    // JUnit (a manual control is no test case; it is named in the run's properties).
    const junit = readFileSync(join(r.cwd, 'out/trailwarden-report.junit.xml'), 'utf8');
    expect(junit).toContain('<property name="framework.cis-aws-3.0.0" value="22 of 25 controls in scope automated (3 partly), 3 manual; manual: 3.3, 3.7, 4.16"/>');
  });
});
