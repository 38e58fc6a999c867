import type { Severity, Status } from '@trailwarden/core';
import { SEVERITY_LABELS, formatCount } from './format.js';

/** A stacked bar per severity, drawn as inline SVG (no script, no external image, CSP-safe). */
export interface ChartModel {
  width: number;
  height: number;
  rows: {
    y: number;
    textY: number;
    label: string;
    total: string;
    totalX: number;
    segments: { x: string; width: string; cls: string; title: string }[];
  }[];
  legend: { x: number; cls: string; label: string }[];
  legendY: number;
  legendTextY: number;
  barH: number;
}

type Counts = Record<Status, number> & { excepted: number };

const SEGMENTS = [
  { key: 'FAIL', cls: 'st-fail', label: 'Fail' },
  { key: 'ERROR', cls: 'st-error', label: 'Error' },
  { key: 'excepted', cls: 'st-excepted', label: 'Excepted' },
  { key: 'PASS', cls: 'st-pass', label: 'Pass' },
  { key: 'NOT_APPLICABLE', cls: 'st-not-applicable', label: 'N/A' },
] as const;

const LABEL_W = 80;
const BAR_W = 360;
const ROW_H = 28;
const BAR_H = 18;

export function severityChart(rows: { severity: Severity; counts: Counts }[]): ChartModel {
  const max = Math.max(1, ...rows.map((r) => SEGMENTS.reduce((n, s) => n + r.counts[s.key], 0)));
  const out: ChartModel['rows'] = rows.map((r, i) => {
    let x = LABEL_W;
    const y = i * ROW_H + 4;
    let total = 0;
    const segments: ChartModel['rows'][number]['segments'] = [];
    for (const s of SEGMENTS) {
      const n = r.counts[s.key];
      total += n;
      if (n === 0) continue;
      // At least one pixel, so a single finding among thousands stays visible.
      const w = Math.max(1, (n / max) * BAR_W);
      segments.push({ x: x.toFixed(1), width: w.toFixed(1), cls: s.cls, title: `${SEVERITY_LABELS[r.severity]} · ${s.label}: ${formatCount(n)}` });
      x += w;
    }
    return { y, textY: y + 13, label: SEVERITY_LABELS[r.severity], total: formatCount(total), totalX: Math.round(x + 6), segments };
  });
  const legendY = rows.length * ROW_H + 10;
  return {
    width: LABEL_W + BAR_W + 70,
    height: legendY + 20,
    rows: out,
    legend: SEGMENTS.map((s, i) => ({ x: LABEL_W + i * 78, cls: s.cls, label: s.label })),
    legendY,
    legendTextY: legendY + 10,
    barH: BAR_H,
  };
}
