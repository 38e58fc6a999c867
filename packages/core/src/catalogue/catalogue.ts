import type { CheckSummary, ControlStatus, Finding, FrameworkReport, Status } from '../model/result.js';
import { compareStrings } from '../util/stable.js';
import { BUILTIN_FRAMEWORKS } from './frameworks.js';

export interface FrameworkDefinition {
  id: string;
  title: string;
  version?: string;
  /** Control id → title. Controls are listed in this order. */
  controls: Record<string, string>;
}

export type Catalogue = Record<string, FrameworkDefinition>;

export const DEFAULT_CATALOGUE: Catalogue = Object.fromEntries(BUILTIN_FRAMEWORKS.map((f) => [f.id, f]));

const WORST: (Status | 'NO_FINDINGS')[] = ['FAIL', 'ERROR', 'PASS', 'NOT_APPLICABLE', 'NO_FINDINGS'];

/**
 * Framework → control → checks → status, for the frameworks the run checks map to. Controls of the
 * catalogue that no run check covers are listed too (with no checks), so gaps are visible.
 */
export function frameworkReports(checks: CheckSummary[], findings: Finding[], catalogue: Catalogue = DEFAULT_CATALOGUE): FrameworkReport[] {
  const controlChecks = new Map<string, Map<string, Set<string>>>();
  for (const c of checks) {
    for (const [fw, controls] of Object.entries(c.frameworks)) {
      const byControl = controlChecks.get(fw) ?? new Map<string, Set<string>>();
      controlChecks.set(fw, byControl);
      for (const control of controls) {
        const set = byControl.get(control) ?? new Set<string>();
        set.add(c.id);
        byControl.set(control, set);
      }
    }
  }
  const countsByCheck = new Map<string, Record<Status, number>>();
  for (const f of findings) {
    if (f.exception) continue;
    const counts = countsByCheck.get(f.checkId) ?? { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0 };
    counts[f.status]++;
    countsByCheck.set(f.checkId, counts);
  }
  const out: FrameworkReport[] = [];
  for (const fw of [...controlChecks.keys()].sort(compareStrings)) {
    const def = catalogue[fw];
    const byControl = controlChecks.get(fw) as Map<string, Set<string>>;
    const ids = [...new Set([...Object.keys(def?.controls ?? {}), ...[...byControl.keys()].sort(compareControlIds)])];
    const controls: ControlStatus[] = ids.map((id) => {
      const checkIds = [...(byControl.get(id) ?? [])].sort(compareStrings);
      const counts: Record<Status, number> = { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0 };
      for (const cid of checkIds) {
        const c = countsByCheck.get(cid);
        if (c) for (const s of Object.keys(counts) as Status[]) counts[s] += c[s];
      }
      const status = WORST.find((s) => s !== 'NO_FINDINGS' && counts[s] > 0) ?? 'NO_FINDINGS';
      return { id, title: def?.controls[id] ?? '(control not in the catalogue)', checks: checkIds, status, counts };
    });
    out.push({ id: fw, title: def?.title ?? fw, ...(def?.version ? { version: def.version } : {}), controls });
  }
  return out;
}

/** `3.10` after `3.9`: compare dotted numbers numerically, anything else as text. */
export function compareControlIds(a: string, b: string): number {
  const pa = a.split(/[.]/);
  const pb = b.split(/[.]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = Number(x);
    const ny = Number(y);
    const c = !Number.isNaN(nx) && !Number.isNaN(ny) && x !== '' && y !== '' ? nx - ny : compareStrings(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

/** Controls of one framework with the checks (from `checks`) that cover each. */
export function controlsOf(frameworkId: string, checks: { id: string; meta: { frameworks?: Record<string, string[]> } }[], catalogue: Catalogue = DEFAULT_CATALOGUE): { id: string; title: string; checks: string[] }[] | undefined {
  const def = catalogue[frameworkId];
  const covered = new Map<string, string[]>();
  for (const c of checks) for (const ctl of c.meta.frameworks?.[frameworkId] ?? []) covered.set(ctl, [...(covered.get(ctl) ?? []), c.id]);
  if (!def && covered.size === 0) return undefined;
  const ids = [...new Set([...Object.keys(def?.controls ?? {}), ...[...covered.keys()].sort(compareControlIds)])];
  return ids.map((id) => ({ id, title: def?.controls[id] ?? '(control not in the catalogue)', checks: (covered.get(id) ?? []).sort(compareStrings) }));
}
