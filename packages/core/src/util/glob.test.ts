import { describe, expect, it } from 'vitest';
import { globMatch, globMatcher } from './glob.js';

/** Deterministic PRNG (mulberry32), so a failure names its seed and reproduces. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One code unit equal to another under a RegExp's `i` flag: the semantics callers had before. */
const sameIgnoringCase = (a: string, b: string) => new RegExp(`^${a.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'i').test(b);

/** Reference: the textbook memoized dynamic programme over (pattern index, value index). */
function reference(p: string, v: string, ignoreCase: boolean): boolean {
  const memo = new Map<number, boolean>();
  const eq = (a: string, b: string) => a === b || (ignoreCase && sameIgnoringCase(a, b));
  const go = (i: number, j: number): boolean => {
    const key = i * (v.length + 1) + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === p.length) r = j === v.length;
    else if (p[i] === '*') r = go(i + 1, j) || (j < v.length && go(i, j + 1));
    else r = j < v.length && (p[i] === '?' || eq(p[i] as string, v[j] as string)) && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

// Letters in both cases, characters a RegExp would treat specially, newline, non-ASCII letters
// whose case folding differs between toLowerCase and the `i` flag (ß, ſ, the Kelvin sign), a
// surrogate half.
const ALPHABET = ['a', 'b', 'A', 'B', '.', '/', ':', '\n', 'é', 'É', 'ß', 'ſ', 's', 'S', '\u212a', 'k', 'K', '\ud83d'];
const PATTERN_ALPHABET = [...ALPHABET, '*', '*', '*', '?', '?'];

function randomString(rand: () => number, alphabet: string[], max: number): string {
  const n = Math.floor(rand() * (max + 1));
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

describe('globMatch', () => {
  it.each([
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a*c', 'ac', true],
    ['a*c', 'abxc', true],
    ['a*c', 'abxcd', false],
    ['*?', '', false],
    ['arn:aws:s3:::logs/*', 'arn:aws:s3:::logs/AWSLogs/1/x', true],
    ['arn:aws:s3:::logs/*', 'arn:aws:s3:::logs2/x', false],
    ['a.c', 'abc', false],
    ['a**b', 'ab', true],
  ])('%j against %j is %s', (pattern, value, expected) => {
    expect(globMatch(pattern, value)).toBe(expected);
    expect(globMatcher(pattern)(value)).toBe(expected);
  });

  it('folds case only when asked, as the `i` flag does', () => {
    expect(globMatch('S3:Get*', 's3:getobject')).toBe(false);
    expect(globMatch('S3:Get*', 's3:getobject', true)).toBe(true);
    expect(globMatcher('cloudtrail:stoplogging', true)('CloudTrail:StopLogging')).toBe(true);
    // Non-ASCII never folds to ASCII (ſ is not s), as with /i.
    expect(globMatch('s', 'ſ', true)).toBe(false);
    expect(globMatch('é', 'É', true)).toBe(true);
  });

  // Property: the linear matcher agrees with the reference on random patterns and values, with and
  // without case folding. Seeded: the same cases run every time.
  it.each([1, 2, 3, 4, 5])('agrees with the reference matcher (seed %i)', (seed) => {
    const rand = prng(seed);
    for (let n = 0; n < 2000; n++) {
      const pattern = randomString(rand, PATTERN_ALPHABET, 8);
      // Half the values are drawn from the pattern's own characters, so matches are common.
      const value = rand() < 0.5 ? randomString(rand, ALPHABET, 10) : pattern.replace(/[*?]/g, () => randomString(rand, ALPHABET, 2));
      const ignoreCase = rand() < 0.5;
      const want = reference(pattern, value, ignoreCase);
      const got = globMatcher(pattern, ignoreCase)(value);
      if (got !== want || globMatch(pattern, value, ignoreCase) !== want) {
        throw new Error(`seed ${seed} case ${n}: ${JSON.stringify(pattern)} vs ${JSON.stringify(value)} (ignoreCase ${ignoreCase}): got ${got}, want ${want}`);
      }
    }
  });

  it('answers the exponential-backtracking attack at once', () => {
    // `*?` pairs before a character the value lacks: a backtracking RegExp takes O(n^k) here. A
    // correctness check only; its speed is measured in bench/wildcard.bench.mjs.
    const pattern = `arn:aws:s3:::bucket/${'*?'.repeat(40)}Q`;
    expect(globMatch(pattern, `arn:aws:s3:::bucket/${'x'.repeat(5000)}`)).toBe(false);
    expect(globMatch(pattern, `arn:aws:s3:::bucket/${'x'.repeat(5000)}Q`)).toBe(true);
    const starOnly = globMatcher(`${'*a'.repeat(40)}*b`);
    expect(starOnly('a'.repeat(5000))).toBe(false);
    expect(starOnly(`${'a'.repeat(5000)}b`)).toBe(true);
  });
});
