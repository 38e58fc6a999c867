/**
 * IAM wildcard matching: `*` matches any run of characters (including none), `?` exactly one.
 * Actions match case-insensitively, ARNs case-sensitively. Compiled matchers are cached by pattern,
 * because the same few patterns recur across thousands of policies.
 */
export type Matcher = (value: string) => boolean;

const sensitiveCache = new Map<string, Matcher>();
const insensitiveCache = new Map<string, Matcher>();

function escapeRegExp(s: string): string {
  return s.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
}

function build(pattern: string, ignoreCase: boolean): Matcher {
  if (pattern === '*') return () => true;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    if (!ignoreCase) return (v) => v === pattern;
    const lower = pattern.toLowerCase();
    return (v) => v.toLowerCase() === lower;
  }
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegExp(c)))
    .join('');
  const re = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
  return (v) => re.test(v);
}

/** A matcher for an IAM wildcard pattern; `ignoreCase` for action names. */
export function wildcardMatcher(pattern: string, ignoreCase = false): Matcher {
  const cache = ignoreCase ? insensitiveCache : sensitiveCache;
  let m = cache.get(pattern);
  if (!m) {
    m = build(pattern, ignoreCase);
    cache.set(pattern, m);
  }
  return m;
}

export function matchesWildcard(pattern: string, value: string, ignoreCase = false): boolean {
  return wildcardMatcher(pattern, ignoreCase)(value);
}

/**
 * ARN matching for `Resource` and `Arn*` conditions. AWS documents that a trailing `*` in an ARN
 * segment may run past the colon boundaries, so the ARN is matched as one case-sensitive string.
 */
export function arnMatches(pattern: string, arn: string): boolean {
  return pattern === '*' || wildcardMatcher(pattern)(arn);
}
