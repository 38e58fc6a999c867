import type { FrameworkMap } from '../model/result.js';
import { AWS_FSBP_PACK } from './aws-fsbp.js';
import { CIS_AWS_PACKS } from './cis-aws.js';
import type { FrameworkPack, PackControl } from './types.js';

/** The packs core ships: CIS AWS Foundations v1.2.0–v6.0.0 and AWS FSBP, in that order. */
export const BUILTIN_PACKS: readonly FrameworkPack[] = [...CIS_AWS_PACKS, AWS_FSBP_PACK];

/** Title given to a control a plugin names that no pack lists. */
export const UNKNOWN_CONTROL_TITLE = '(control not in the catalogue)';

/** What `resolvePacks` needs of a check: its id, its plugin, and (plugin API v1) its own framework lists. */
export interface PackCheck {
  id: string;
  meta: { frameworks?: FrameworkMap };
  plugin?: { name: string };
}

/**
 * The packs of one run: the built-in ones, plus what third-party checks still declare in
 * `meta.frameworks` (plugin API v1). Those are accepted, not ignored: each declared control gains the
 * check (a control the packs do not list is added, marked `automated` on the plugin's word, with
 * the plugin as its provider; a framework no pack knows becomes a pack of its own).
 */
export function resolvePacks(checks: readonly PackCheck[], base: readonly FrameworkPack[] = BUILTIN_PACKS): FrameworkPack[] {
  const declared = checks.filter((c) => c.meta.frameworks && Object.keys(c.meta.frameworks).length > 0);
  if (declared.length === 0) return [...base];
  // A check that declares its controls is taken at its word: only those (a same-named check of the
  // built-in packs, e.g. in a test, does not inherit theirs).
  const declaring = new Set(declared.map((c) => c.id));
  const packs = base.map((p) => ({ ...p, controls: p.controls.map((c) => ({ ...c, checks: c.checks.filter((id) => !declaring.has(id)) })) }));
  for (const check of declared) {
    const provider = check.plugin?.name ?? check.id;
    for (const [fw, ids] of Object.entries(check.meta.frameworks ?? {})) {
      let pack = packs.find((p) => p.id === fw);
      if (!pack) {
        pack = { id: fw, title: fw, scope: 'the controls its plugins declare', source: `meta.frameworks of plugin ${provider}`, provider, controls: [] };
        packs.push(pack);
      }
      for (const id of ids) {
        let control = pack.controls.find((c) => c.id === id);
        if (!control) {
          control = { id, title: UNKNOWN_CONTROL_TITLE, automation: 'automated', checks: [] };
          pack.controls.push(control);
        }
        if (!control.checks.includes(check.id)) control.checks.push(check.id);
        if (control.automation === 'manual' || control.automation === 'partial') {
          // The plugin claims to judge it: say on whose word.
          control.automation = 'automated';
          control.gap = `judged by plugin ${provider}'s check ${check.id}, which declares this control itself`;
        }
      }
    }
  }
  return packs;
}

/** Framework id → control ids that list `checkId`, in pack order. */
export function frameworksOfCheck(checkId: string, packs: readonly FrameworkPack[]): FrameworkMap {
  const out: FrameworkMap = {};
  for (const p of packs) {
    const ids = p.controls.filter((c) => c.checks.includes(checkId)).map((c) => c.id);
    if (ids.length > 0) out[p.id] = ids;
  }
  return out;
}

/** Problems in a pack's own data (a manual control with checks, an automated one without), one line each. */
export function packProblems(pack: FrameworkPack): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const c of pack.controls) {
    if (seen.has(c.id)) out.push(`${pack.id} ${c.id}: listed twice`);
    seen.add(c.id);
    if (c.automation === 'manual' && c.checks.length > 0) out.push(`${pack.id} ${c.id}: manual but maps checks ${c.checks.join(', ')}`);
    if (c.automation !== 'manual' && c.checks.length === 0) out.push(`${pack.id} ${c.id}: ${c.automation} but maps no check`);
    if (c.automation !== 'automated' && !c.gap) out.push(`${pack.id} ${c.id}: ${c.automation} without a gap saying what is not covered`);
  }
  return out;
}

/** The `frameworks` of a check's findings: what it declares itself (plugin API v1), else what the packs map to it. */
export function frameworksOf(check: PackCheck, packs: readonly FrameworkPack[]): FrameworkMap {
  const own = check.meta.frameworks;
  return own && Object.keys(own).length > 0 ? own : frameworksOfCheck(check.id, packs);
}

export function findPack(id: string, packs: readonly FrameworkPack[]): FrameworkPack | undefined {
  return packs.find((p) => p.id === id);
}

export type { PackControl };
