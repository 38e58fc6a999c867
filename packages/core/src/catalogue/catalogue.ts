import type { CheckSummary, ControlStatus, Finding, FrameworkReport, Status } from '../model/result.js';
import { worstStatus } from '../model/status-order.js';
import { BUILTIN_PACKS, UNKNOWN_CONTROL_TITLE } from '../packs/packs.js';
import { type FrameworkPack, packAutomation } from '../packs/types.js';
import { compareStrings } from '../util/stable.js';

/** A framework's titles (id → control title), derived from its pack; kept for plugin API v1 callers. */
export interface FrameworkDefinition {
  id: string;
  title: string;
  version?: string;
  /** Control id → title. Controls are listed in this order. */
  controls: Record<string, string>;
}

export type Catalogue = Record<string, FrameworkDefinition>;

export function catalogueOf(packs: readonly FrameworkPack[]): Catalogue {
  return Object.fromEntries(
    packs.map((p) => [p.id, { id: p.id, title: p.title, ...(p.version ? { version: p.version } : {}), controls: Object.fromEntries(p.controls.map((c) => [c.id, c.title])) }]),
  );
}

export const DEFAULT_CATALOGUE: Catalogue = catalogueOf(BUILTIN_PACKS);

/**
 * Framework → control → checks → status, for the frameworks the run's checks map to. Every control
 * of the pack is listed: `MANUAL` for those no check judges (never PASS), `NOT_RUN` for those whose
 * checks were all left out of the run, otherwise the worst status of its checks' findings
 * (excepted findings aside) or `NO_FINDINGS`.
 */
export function frameworkReports(checks: CheckSummary[], findings: Finding[], packs: readonly FrameworkPack[] = BUILTIN_PACKS): FrameworkReport[] {
  const ran = new Set(checks.map((c) => c.id));
  const frameworks = new Set(checks.flatMap((c) => Object.keys(c.frameworks)));
  const countsByCheck = new Map<string, Record<Status, number>>();
  for (const f of findings) {
    if (f.exception) continue;
    const counts = countsByCheck.get(f.checkId) ?? { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0 };
    counts[f.status]++;
    countsByCheck.set(f.checkId, counts);
  }
  const out: FrameworkReport[] = [];
  for (const fw of [...frameworks].sort(compareStrings)) {
    const pack = packs.find((p) => p.id === fw);
    const controls: ControlStatus[] = (pack?.controls ?? []).map((control) => {
      const checkIds = control.checks.filter((id) => ran.has(id)).sort(compareStrings);
      const counts: Record<Status, number> = { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0 };
      for (const cid of checkIds) {
        const c = countsByCheck.get(cid);
        if (c) for (const s of Object.keys(counts) as Status[]) counts[s] += c[s];
      }
      const status: ControlStatus['status'] = control.automation === 'manual' ? 'MANUAL' : checkIds.length === 0 ? 'NOT_RUN' : (worstStatus(counts) ?? 'NO_FINDINGS');
      return {
        id: control.id,
        title: control.title || UNKNOWN_CONTROL_TITLE,
        automation: control.automation,
        ...(control.gap ? { gap: control.gap } : {}),
        checks: checkIds,
        status,
        counts,
      };
    });
    out.push({
      id: fw,
      title: pack?.title ?? fw,
      ...(pack?.version ? { version: pack.version } : {}),
      ...(pack ? { scope: pack.scope } : {}),
      automation: packAutomation(controls),
      controls,
    });
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

/** Controls of one framework (from its pack) with the checks that judge each; undefined for an unknown framework. */
export function controlsOf(frameworkId: string, packs: readonly FrameworkPack[] = BUILTIN_PACKS): FrameworkPack['controls'] | undefined {
  return packs.find((p) => p.id === frameworkId)?.controls.map((c) => ({ ...c, checks: [...c.checks].sort(compareStrings) }));
}
