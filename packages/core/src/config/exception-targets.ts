import { InputError } from '../util/errors.js';
import { globMatcher } from '../util/glob.js';
import { didYouMean } from '../util/suggest.js';
import type { ExceptionRule } from './exceptions.js';

const GLOB = /[*?]/;

/**
 * An exception that can never match is a typo that silently stops excepting (or, worse, a rule an
 * auditor believes is in force): its `check` must name a known check id (or be a glob matching
 * one), checked when the config and plugins are loaded.
 */
export function assertExceptionChecks(rules: readonly ExceptionRule[], checkIds: readonly string[], where: string): void {
  for (const [i, rule] of rules.entries()) {
    const field = `${where}: exceptions[${i}].check`;
    if (GLOB.test(rule.check)) {
      const matches = globMatcher(rule.check);
      if (!checkIds.some((id) => matches(id))) throw new InputError(`"${rule.check}" matches no check id${didYouMean(rule.check, checkIds)}; run \`trailwarden checks\` to list them`, field);
    } else if (!checkIds.includes(rule.check)) {
      throw new InputError(`unknown check id "${rule.check}"${didYouMean(rule.check, checkIds)}; run \`trailwarden checks\` to list them`, field);
    }
  }
}

/**
 * Once the organization is known: an exception naming an account outside it is a config error
 * (a mistyped id would except nothing, or another organization's account).
 */
export function assertExceptionAccounts(rules: readonly ExceptionRule[], organizationAccounts: readonly string[], where: string): void {
  for (const [i, rule] of rules.entries()) {
    for (const [j, id] of (rule.accounts ?? []).entries()) {
      if (id === '*' || organizationAccounts.includes(id)) continue;
      throw new InputError(`account ${id} is not in the organization${didYouMean(id, organizationAccounts)}`, `${where}: exceptions[${i}].accounts[${j}]`);
    }
  }
}
