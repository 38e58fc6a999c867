import { createHash } from 'node:crypto';
import type { JsonValue } from '@trailwarden/core';
import type { EvidenceReport, EvidenceWindow } from './evidence.js';

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccd}table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #e4e6ea;vertical-align:top}th{background:#f4f5f7}
.FAIL{color:#b00020;font-weight:600}.ERROR{color:#9a6700;font-weight:600}.PASS{color:#1a7f37}.gap{background:#fde2e1}.inc{background:#fff4ce}
.days{display:flex;flex-wrap:wrap;gap:2px}.day{width:1.6rem;height:1.6rem;font-size:.65rem;display:flex;align-items:center;justify-content:center;background:#dff5e3}.day.gap{background:#fde2e1}.day.inc{background:#fff4ce}
.muted{color:#57606a}code{font-size:.85em}`;

/** HTML-escape text from the history (resource names, messages, reasons are attacker-controllable). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function actorText(actor: JsonValue): string {
  if (actor && typeof actor === 'object' && !Array.isArray(actor)) {
    const a = actor as Record<string, JsonValue>;
    return String(a.arn ?? a.principalId ?? a.type ?? JSON.stringify(actor));
  }
  return actor === null ? 'unknown' : String(actor);
}

function windowRows(list: EvidenceWindow[], empty: string): string {
  if (list.length === 0) return `<p class="muted">${escapeHtml(empty)}</p>`;
  const rows = list
    .map(
      (w) =>
        `<tr><td>${escapeHtml(w.accountId)}</td><td>${escapeHtml(w.region)}</td><td><code>${escapeHtml(w.resource)}</code></td><td>${escapeHtml(w.kind)}</td><td>${escapeHtml(w.start)}</td><td>${w.end ? escapeHtml(w.end) : '<span class="FAIL">still open</span>'}</td><td>${w.durationMinutes === null ? '' : escapeHtml(String(w.durationMinutes))}</td><td>${escapeHtml(actorText(w.actor))}</td><td>${escapeHtml(w.scanIds.join(', '))}</td></tr>`,
    )
    .join('\n');
  return `<table><thead><tr><th>Account</th><th>Region</th><th>Resource</th><th>What</th><th>Start</th><th>End</th><th>Minutes</th><th>Who</th><th>Scans</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The evidence report as one self-contained HTML page: no script, nothing loaded from anywhere. */
export function renderEvidenceHtml(r: EvidenceReport): string {
  const gaps = new Set(r.days.gaps);
  const incomplete = new Set(r.days.incomplete);
  const days = [...r.days.covered, ...r.days.gaps].sort();
  const dayCells = days
    .map((d) => `<div class="day${gaps.has(d) ? ' gap' : incomplete.has(d) ? ' inc' : ''}" title="${escapeHtml(d)}${gaps.has(d) ? ': no scan' : incomplete.has(d) ? ': incomplete scan only' : ''}">${escapeHtml(d.slice(8))}</div>`)
    .join('');
  const scans = r.scans
    .map(
      (s) =>
        `<tr><td>${s.id}</td><td>${escapeHtml(s.startedAt)}</td><td>${escapeHtml(s.mode)}${s.organizationId ? ` ${escapeHtml(s.organizationId)}` : ''}</td><td>${s.accounts}</td><td class="FAIL">${s.counts.FAIL}</td><td class="ERROR">${s.counts.ERROR}</td><td class="PASS">${s.counts.PASS}</td><td>${s.complete ? 'complete' : '<span class="ERROR">incomplete</span>'}</td><td><code>${escapeHtml(s.snapshotDigest.slice(0, 19))}…</code></td></tr>`,
    )
    .join('\n');
  const frameworks = r.frameworks
    .map((fw) => {
      const rows = fw.controls
        .map(
          (c) =>
            `<tr><td>${escapeHtml(c.id)}</td><td>${escapeHtml(c.title)}</td><td class="${escapeHtml(c.worst)}">${escapeHtml(c.worst)}</td><td>${c.scans.map((s) => `<span class="${escapeHtml(s.status)}" title="scan ${s.scanId} ${escapeHtml(s.startedAt)}">${escapeHtml(s.status === 'NO_FINDINGS' || s.status === 'NOT_RUN' ? '–' : s.status[0] ?? '')}</span>`).join(' ')}</td><td>${escapeHtml(c.checks.join(', '))}</td></tr>`,
        )
        .join('\n');
      return `<h3>${escapeHtml(fw.id)}</h3><table><thead><tr><th>Control</th><th>Title</th><th>Worst in period</th><th>Per scan (oldest first)</th><th>Checks</th></tr></thead><tbody>${rows}</tbody></table>`;
    })
    .join('\n');
  const exceptions =
    r.exceptions.length === 0
      ? '<p class="muted">No exceptions were in force during the period.</p>'
      : `<table><thead><tr><th>Id</th><th>Check</th><th>Resource</th><th>Reason</th><th>Approver</th><th>Expires</th><th>State</th><th>Seen</th></tr></thead><tbody>${r.exceptions
          .map(
            (e) =>
              `<tr><td>${escapeHtml(e.id)}</td><td>${escapeHtml(e.check)}</td><td><code>${escapeHtml(e.resource)}</code></td><td>${escapeHtml(e.reason)}</td><td>${escapeHtml(e.approver)}</td><td>${escapeHtml(e.expires)}</td><td>${escapeHtml(e.state)}</td><td>${escapeHtml(e.firstSeen)} – ${escapeHtml(e.lastSeen)}</td></tr>`,
          )
          .join('\n')}</tbody></table>`;
  const csp = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Trailwarden evidence ${escapeHtml(r.period.from.slice(0, 10))} – ${escapeHtml(r.period.to.slice(0, 10))}</title>
<style>${STYLE}</style></head><body>
<h1>Audit-period evidence: ${escapeHtml(r.period.from)} to ${escapeHtml(r.period.to)}</h1>
<p>From the history <code>${escapeHtml(r.history)}</code>, generated ${escapeHtml(r.generatedAt)}. ${r.scans.length} scan(s) over ${r.period.days} day(s); <strong>${r.days.gaps.length} day(s) not covered by any scan</strong>${r.days.incomplete.length ? `, ${r.days.incomplete.length} covered only by incomplete scans` : ''}.</p>
<h2>Days covered</h2><div class="days" id="days">${dayCells}</div>
<p class="muted">Green: a complete scan ran that UTC day. Yellow: only incomplete scans. Red: no scan (gap day).</p>
<h2>Scans in the period</h2><table id="scans"><thead><tr><th>Id</th><th>Started</th><th>Scope</th><th>Accounts</th><th>FAIL</th><th>ERROR</th><th>PASS</th><th>Coverage</th><th>Snapshot</th></tr></thead><tbody>${scans}</tbody></table>
<h2>Blind windows (logging stopped or trail deleted)</h2>${windowRows(r.blindWindows, 'No blind window was reported in the period by trail-logging-continuity.')}
<h2>Weakening changes</h2>${windowRows(r.weakeningChanges, 'No weakening change was reported in the period.')}
<h2>Exceptions in force</h2>${exceptions}
<h2>Controls</h2>${frameworks || '<p class="muted">No framework controls were recorded.</p>'}
</body></html>
`;
}
