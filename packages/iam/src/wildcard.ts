import { globMatcher } from '@trailwarden/core';

/**
 * IAM wildcard matching: `*` matches any run of characters (including none), `?` exactly one.
 * Actions match case-insensitively, ARNs case-sensitively. The matching is core's linear-time glob
 * matcher (never a RegExp: policy text is hostile input). Matchers are cached by pattern, because
 * the same few patterns recur across thousands of policies; the cache is bounded.
 */
export type Matcher = (value: string) => boolean;

const CACHE_LIMIT = 50_000;
const sensitiveCache = new Map<string, Matcher>();
const insensitiveCache = new Map<string, Matcher>();

/** A matcher for an IAM wildcard pattern; `ignoreCase` for action names. */
export function wildcardMatcher(pattern: string, ignoreCase = false): Matcher {
  const cache = ignoreCase ? insensitiveCache : sensitiveCache;
  let m = cache.get(pattern);
  if (!m) {
    m = globMatcher(pattern, ignoreCase);
    if (cache.size >= CACHE_LIMIT) cache.clear();
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
