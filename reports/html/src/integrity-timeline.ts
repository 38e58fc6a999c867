import type { Finding, ScanResult } from '@trailwarden/core';

/**
 * The log-integrity section: per trail, one row per account and source region, the verified period
 * drawn as a timeline (inline SVG, CSP-safe) with every gap marked and labelled. Built from the
 * evidence of trail-log-integrity findings only; absent when the check did not run.
 */
export interface IntegrityTimelineModel {
  trails: {
    name: string;
    status: string;
    statusCls: string;
    range: string;
    message: string;
    rows: IntegrityRow[];
    omitted: number;
    height: number;
    axisY: number;
    axis: { x: number; label: string; anchor: string }[];
  }[];
  width: number;
}

export interface IntegrityRow {
  label: string;
  y: number;
  textY: number;
  segments: { x: string; width: string; cls: string; title: string }[];
  gaps: number;
}

/** Label column, then the bar area; one 14px row per account and region. */
const LABEL_W = 190;
const BAR_W = 600;
const WIDTH = LABEL_W + BAR_W;
const ROW_H = 14;
const MAX_ROWS = 200;

interface TimelineChain {
  accountId: string;
  region: string;
  windows: [string, string][];
  gaps: { start: string; end: string; label: string }[];
  invalid: number;
}

function chainsOf(f: Finding): TimelineChain[] | undefined {
  const t = (f.evidence as Record<string, unknown> | undefined)?.timeline;
  if (!Array.isArray(t)) return undefined;
  return t.filter((c): c is TimelineChain => {
    const o = c as Partial<TimelineChain> | null;
    return !!o && typeof o.accountId === 'string' && typeof o.region === 'string' && Array.isArray(o.windows) && Array.isArray(o.gaps);
  });
}

const ms = (s: unknown) => (typeof s === 'string' ? Date.parse(s) : Number.NaN);

export function integrityTimeline(result: ScanResult): IntegrityTimelineModel | undefined {
  const findings = result.findings.filter((f) => f.checkId === 'trail-log-integrity' && chainsOf(f));
  if (findings.length === 0) return undefined;
  const trails = findings.map((f) => {
    const ev = f.evidence as Record<string, unknown>;
    const from = ms(ev.from);
    const to = ms(ev.to);
    const span = Number.isFinite(from) && Number.isFinite(to) && to > from ? to - from : 1;
    const x = (t: number) => LABEL_W + Math.max(0, Math.min(BAR_W, ((t - from) / span) * BAR_W));
    const seg = (start: unknown, end: unknown, cls: string, title: string) => {
      const a = x(ms(start));
      const b = x(ms(end));
      return Number.isFinite(a) && Number.isFinite(b) && b > a ? [{ x: a.toFixed(1), width: Math.max(1, b - a).toFixed(1), cls, title }] : [];
    };
    const chains = chainsOf(f)!;
    const rows: IntegrityRow[] = chains.slice(0, MAX_ROWS).map((c, i) => ({
      label: `${c.accountId} ${c.region}`,
      y: i * ROW_H + 2,
      textY: i * ROW_H + 11,
      gaps: c.gaps.length,
      segments: [
        ...c.windows.flatMap(([s, e]) => seg(s, e, c.invalid > 0 ? 'tl-invalid' : 'tl-verified', `verified ${s} to ${e}`)),
        ...c.gaps.flatMap((g) => seg(g.start, g.end, g.label === 'unexplained' ? 'tl-unexplained' : 'tl-restart', `${g.label === 'unexplained' ? 'unexplained gap' : 'chain restart'} ${g.start} to ${g.end}`)),
      ],
    }));
    return {
      name: f.resource.name ?? f.resource.arn,
      status: f.status,
      statusCls: `st-${f.status.toLowerCase().replace(/_/g, '-')}`,
      range: `${String(ev.from ?? '')} to ${String(ev.to ?? '')}`,
      message: f.message,
      rows,
      omitted: Math.max(0, chains.length - MAX_ROWS),
      height: rows.length * ROW_H + 20,
      axisY: rows.length * ROW_H + 16,
      axis: [0, 0.5, 1].map((p) => ({
        x: Math.round(LABEL_W + p * BAR_W),
        anchor: p === 0 ? 'start' : p === 1 ? 'end' : 'middle',
        label: Number.isFinite(from) ? new Date(from + p * span).toISOString().slice(0, 16).replace('T', ' ') : '',
      })),
    };
  });
  return { trails, width: WIDTH };
}
