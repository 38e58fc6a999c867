import { createHash } from 'node:crypto';

/** Fingerprint of a finding: stable across scans for the same check, account, region and resource. */
export function fingerprint(checkId: string, accountId: string, region: string, arn: string): string {
  return createHash('sha256').update(`${checkId}\u0000${accountId}\u0000${region}\u0000${arn}`).digest('hex').slice(0, 32);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON with object keys sorted, so equal data always gives equal bytes. */
export function stableStringify(value: unknown, indent = 2): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * Glob with `*` (any run of characters) and `?` (one character), anchored, as a RegExp.
 * @deprecated Backtracking makes a RegExp exponential in the number of `*`: only for constant
 * patterns. Match anything from a policy, a snapshot or a config with `globMatcher`.
 */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}
