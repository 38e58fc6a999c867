import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO, NOW, run, tmp } from './helpers.js';

interface Finding {
  checkId: string;
  status: string;
  accountId: string;
  exception?: unknown;
}

/**
 * The terminal, the HTML report and the JSON report used to count FAILs each their own way, and
 * disagreed once exceptions were present. They now all show core's ScanResult.summary: this runs
 * the real CLI with an exception that covers part of a check's FAILs and reads the three back.
 */
describe('one summary: terminal, HTML and worst checks agree with exceptions present', () => {
  it('counts the same open FAILs and the same worst checks everywhere', () => {
    // Pick a check with FAILs in more than one account, and except one account's.
    const plain = run(['evaluate', DEMO, '--format', 'json', '--now', NOW, '-o', 'out']);
    const before = JSON.parse(readFileSync(join(plain.cwd, 'out/trailwarden-report.json'), 'utf8')) as { findings: Finding[] };
    const failAccounts = new Map<string, Set<string>>();
    for (const f of before.findings.filter((x) => x.status === 'FAIL')) {
      const set = failAccounts.get(f.checkId) ?? new Set<string>();
      set.add(f.accountId);
      failAccounts.set(f.checkId, set);
    }
    const [checkId, accounts] = [...failAccounts].find(([, set]) => set.size > 1) ?? [];
    expect(checkId, 'the demo snapshot has a check failing in two accounts').toBeDefined();
    const excepted = [...(accounts as Set<string>)].sort()[0] as string;

    const cwd = tmp();
    writeFileSync(
      join(cwd, 'trailwarden.config.yaml'),
      ['exceptions:', `  - check: ${checkId}`, `    accounts: ["${excepted}"]`, '    reason: accepted for the test', '    approver: ciso@acme.example', '    expires: "2099-01-01"', ''].join('\n'),
    );
    const r = run(['evaluate', DEMO, '--format', 'json,html', '--now', NOW, '-o', 'out', '--fail-on', 'none'], cwd);
    expect([0, 3], r.stderr).toContain(r.code); // 3: the demo snapshot is incomplete by design
    const report = JSON.parse(readFileSync(join(cwd, 'out/trailwarden-report.json'), 'utf8'));
    const findings = report.findings as Finding[];
    const openFails = findings.filter((f) => f.status === 'FAIL' && !f.exception).length;
    const exceptedFails = findings.filter((f) => f.status === 'FAIL' && f.exception).length;
    expect(exceptedFails, 'the exception covers some FAILs').toBeGreaterThan(0);

    // JSON: core's summary.
    expect(report.summary.open.FAIL).toBe(openFails);
    expect(report.summary.counts.FAIL).toBe(openFails + exceptedFails);
    const jsonWorst = (report.summary.worstChecks as { id: string; fail: number; error: number }[]).map((c) => `${c.id} ${c.fail} ${c.error}`);
    const excCheck = report.summary.worstChecks.find((c: { id: string }) => c.id === checkId);
    expect(excCheck.fail).toBe(findings.filter((f) => f.checkId === checkId && f.status === 'FAIL' && !f.exception).length);

    // Terminal: the headline and the worst checks.
    const headline = /FAIL (\d+) \(/.exec(r.stdout);
    expect(Number(headline?.[1])).toBe(openFails);
    const terminalWorst = [...r.stdout.matchAll(/^ {2}(\S+)\s+(?:critical|high|medium|low)\s+(\d+) FAIL\s+(\d+) ERROR/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    expect(terminalWorst.length).toBeGreaterThan(0);
    expect(terminalWorst).toEqual(jsonWorst.slice(0, terminalWorst.length));

    // HTML: the "Failed" card and the worst-checks table.
    const html = readFileSync(join(cwd, 'out/trailwarden-report.html'), 'utf8');
    const card = /data-card="Failed"><div class="label">Failed<\/div><div class="value">([\d,]+)<\/div>/.exec(html);
    expect(Number(card?.[1]?.replaceAll(',', ''))).toBe(openFails);
    const table = html.slice(html.indexOf('<table id="worst-checks">'), html.indexOf('</table>', html.indexOf('<table id="worst-checks">')));
    const htmlWorst = [...table.matchAll(/<span class="muted mono">([^<]+)<\/span>.*?<td class="num [^"]*">([\d,]+)<\/td><td class="num [^"]*">([\d,]+)<\/td>/g)].map(
      (m) => `${m[1]} ${m[2]} ${m[3]}`,
    );
    expect(htmlWorst.length).toBeGreaterThan(0);
    expect(htmlWorst).toEqual(jsonWorst.slice(0, htmlWorst.length));
  });
});
