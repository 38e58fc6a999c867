import type { Finding, ScanResult } from '@trailwarden/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureResult } from './__fixtures__/scan.js';
import { renderHtml } from './index.js';

let base: ScanResult;
beforeAll(async () => {
  base = await fixtureResult();
});

function withIntegrity(result: ScanResult, accountLabel = '200000000006'): ScanResult {
  const template = result.findings[0]!;
  const finding: Finding = {
    ...template,
    checkId: 'trail-log-integrity',
    status: 'FAIL',
    message: 'Trail org-trail: 1 unexplained gap(s) in the verified period (2 h in all)',
    resource: { ...template.resource, name: 'org-trail', arn: 'arn:aws:cloudtrail:us-east-1:100000000001:trail/org-trail' },
    evidence: {
      from: '2026-11-20T00:00:00Z',
      to: '2026-11-20T09:00:00Z',
      timeline: [
        {
          accountId: accountLabel,
          region: 'us-east-1',
          windows: [
            ['2026-11-20T00:00:00Z', '2026-11-20T04:00:00Z'],
            ['2026-11-20T05:00:00Z', '2026-11-20T06:00:00Z'],
            ['2026-11-20T08:00:00Z', '2026-11-20T09:00:00Z'],
          ],
          gaps: [
            { start: '2026-11-20T04:00:00Z', end: '2026-11-20T05:00:00Z', label: 'chain-restart' },
            { start: '2026-11-20T06:00:00Z', end: '2026-11-20T08:00:00Z', label: 'unexplained' },
          ],
          invalid: 1,
        },
      ],
    },
  };
  return { ...result, findings: [...result.findings, finding] };
}

describe('log-integrity timeline section', () => {
  it('is absent when trail-log-integrity did not run', () => {
    expect(renderHtml(base)).not.toContain('id="log-integrity"');
  });

  it('draws each account/region with the verified windows and the gaps marked, positioned on the range', () => {
    const html = renderHtml(withIntegrity(base));
    expect(html).toContain('<section class="panel" id="log-integrity">');
    expect(html).toContain('<a href="#log-integrity">Log integrity</a>');
    const section = html.slice(html.indexOf('id="log-integrity"'), html.indexOf('id="accounts"'));
    expect(section).toContain('200000000006 us-east-1');
    // 9 hours over 600 px from x = 190: the 2-hour unexplained gap starts at 6 h = 590 and is 133.3 wide.
    expect(section).toMatch(/<rect class="tl-unexplained" x="590\.0" y="2" width="133\.3" height="10"><title>unexplained gap 2026-11-20T06:00:00Z to 2026-11-20T08:00:00Z<\/title>/);
    expect(section).toMatch(/<rect class="tl-restart" x="456\.7"/);
    expect(section.match(/class="tl-invalid"/g)).toHaveLength(3);
  });

  it('escapes hostile strings from the evidence', () => {
    const html = renderHtml(withIntegrity(base, '<script>alert(1)</script>'));
    const section = html.slice(html.indexOf('id="log-integrity"'), html.indexOf('id="accounts"'));
    expect(section).not.toContain('<script>alert(1)</script>');
    expect(section).toContain('&lt;script&gt;');
  });
});
