/**
 * Glob matching in linear-bounded time: `*` matches any run of characters (including none), `?`
 * exactly one; every other character stands for itself. Used for IAM wildcards (actions, ARNs,
 * `StringLike`/`ArnLike` conditions) and for the exception globs of the config.
 *
 * Patterns come from policies, names and config files that anyone with edit rights in one account
 * or one pull request controls, so no pattern may cost more than O(pattern × value) steps: a RegExp
 * built from `a*?*?*?*Q` backtracks exponentially. This is the classic greedy matcher that, on a
 * mismatch, resumes at the last `*` one character further; it never revisits an earlier `*`, which
 * is sound because a later `*` can absorb anything an earlier one could.
 *
 * Characters are UTF-16 code units, as in a RegExp without the `u` flag. `ignoreCase` folds them as
 * such a RegExp's `i` flag does (simple upper-case mapping, never from non-ASCII to ASCII).
 */

export type GlobMatcher = (value: string) => boolean;

const STAR = 42; // '*'
const QUESTION = 63; // '?'

let foldTable: Uint16Array | undefined;

/** The canonical form of every code unit under the ECMAScript `i` flag (non-unicode mode). */
function folds(): Uint16Array {
  if (foldTable) return foldTable;
  const t = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    const upper = String.fromCharCode(c).toUpperCase();
    const u = upper.length === 1 ? upper.charCodeAt(0) : c;
    t[c] = c >= 128 && u < 128 ? c : u;
  }
  foldTable = t;
  return t;
}

function matchExact(p: string, v: string): boolean {
  const pl = p.length;
  const vl = v.length;
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < vl) {
    if (pi < pl) {
      const pc = p.charCodeAt(pi);
      if (pc === STAR) {
        star = pi++;
        mark = vi;
        continue;
      }
      if (pc === QUESTION || pc === v.charCodeAt(vi)) {
        pi++;
        vi++;
        continue;
      }
    }
    if (star < 0) return false;
    pi = star + 1;
    vi = ++mark;
  }
  while (pi < pl && p.charCodeAt(pi) === STAR) pi++;
  return pi === pl;
}

/** As matchExact, comparing folded code units; `p` is already folded. */
function matchFolded(p: string, v: string, fold: Uint16Array): boolean {
  const pl = p.length;
  const vl = v.length;
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < vl) {
    if (pi < pl) {
      const pc = p.charCodeAt(pi);
      if (pc === STAR) {
        star = pi++;
        mark = vi;
        continue;
      }
      if (pc === QUESTION || pc === fold[v.charCodeAt(vi)]) {
        pi++;
        vi++;
        continue;
      }
    }
    if (star < 0) return false;
    pi = star + 1;
    vi = ++mark;
  }
  while (pi < pl && p.charCodeAt(pi) === STAR) pi++;
  return pi === pl;
}

function foldString(s: string, fold: Uint16Array): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(fold[s.charCodeAt(i)] as number);
  return out;
}

/**
 * Globs with `*` but no `?` (nearly all IAM patterns: `s3:Get*`, `arn:aws:s3:::logs/*`): the first
 * segment must start the value, the last end it, and the middle ones are found left to right with
 * indexOf, taking the leftmost match each time (sound for `*`-only globs). Native string search:
 * O(pattern × value) at worst, as fast as a compiled RegExp in the common cases.
 */
function starOnly(segments: string[]): (v: string) => boolean {
  const first = segments[0] as string;
  const last = segments[segments.length - 1] as string;
  const middle = segments.slice(1, -1).filter((x) => x.length > 0);
  const fixed = segments.reduce((n, x) => n + x.length, 0);
  return (v) => {
    if (v.length < fixed || !v.startsWith(first) || !v.endsWith(last)) return false;
    let at = first.length;
    const end = v.length - last.length;
    for (const seg of middle) {
      const i = v.indexOf(seg, at);
      if (i < 0 || i + seg.length > end) return false;
      at = i + seg.length;
    }
    return true;
  };
}

const ASCII = /^[\x00-\x7f]*$/;

/** A matcher for one glob; build it once when the same pattern is tested against many values. */
export function globMatcher(pattern: string, ignoreCase = false): GlobMatcher {
  // Runs of `*` are one `*`: fewer restart points, same language.
  const p = pattern.includes('**') ? pattern.replace(/\*+/g, '*') : pattern;
  if (p === '*') return () => true;
  const hasQuestion = p.includes('?');
  if (!ignoreCase) {
    if (hasQuestion) return (v) => matchExact(p, v);
    if (!p.includes('*')) return (v) => v === p;
    return starOnly(p.split('*'));
  }
  const fold = folds();
  const folded = foldString(p, fold);
  const general = (v: string) => matchFolded(folded, v, fold);
  // For ASCII, the `i` flag's folding is toUpperCase: native and exact. Others take the general path.
  if (hasQuestion || !ASCII.test(folded)) return general;
  const fast = folded.includes('*') ? starOnly(folded.split('*')) : (v: string) => v === folded;
  return (v) => (ASCII.test(v) ? fast(v.toUpperCase()) : general(v));
}

/** Does `value` match the glob `pattern`? (Compiles nothing: fine for one-off tests.) */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (!ignoreCase) return matchExact(pattern, value);
  const fold = folds();
  return matchFolded(foldString(pattern, fold), value, fold);
}
