/**
 * A framework pack maps a framework's controls to the checks that judge them (cdk-nag's packs, in
 * spirit): checks stay free of framework ids, and each control says how far trailwarden automates it.
 */

/**
 * - `automated`: the mapped checks judge everything the control asks.
 * - `partial`: the mapped checks judge part of it; `gap` says what they leave out.
 * - `manual`: no check judges it; `gap` says why, and what to look at by hand. Never reported as PASS.
 */
export type Automation = 'automated' | 'partial' | 'manual';

export const AUTOMATIONS: readonly Automation[] = ['automated', 'partial', 'manual'];

export interface PackControl {
  id: string;
  title: string;
  automation: Automation;
  /** Check ids that judge the control; empty exactly when `manual`. */
  checks: string[];
  /** For `partial` and `manual`: what the checks do not cover (one sentence). */
  gap?: string;
}

export interface FrameworkPack {
  /** Framework id, e.g. `cis-aws-3.0.0`, `aws-fsbp`. */
  id: string;
  title: string;
  version?: string;
  /** The part of the framework the pack covers (the rest is outside trailwarden's remit and not listed). */
  scope: string;
  /** Where the control ids and titles come from. */
  source: string;
  /** `builtin`, or the plugin whose checks declared the controls (see `resolvePacks`). */
  provider: string;
  /** In the framework's order. */
  controls: PackControl[];
}

/** "N of M controls in scope automated": counts of one pack's controls by automation. */
export interface PackAutomation {
  total: number;
  automated: number;
  partial: number;
  manual: number;
}

export function packAutomation(controls: readonly { automation: Automation }[]): PackAutomation {
  const out: PackAutomation = { total: controls.length, automated: 0, partial: 0, manual: 0 };
  for (const c of controls) out[c.automation]++;
  return out;
}

/** `19 of 25 controls in scope automated (2 partly), 4 manual`: the one line every report shows. */
export function automationLine(a: PackAutomation): string {
  const automated = a.automated + a.partial;
  return `${automated} of ${a.total} controls in scope automated${a.partial ? ` (${a.partial} partly)` : ''}, ${a.manual} manual`;
}
