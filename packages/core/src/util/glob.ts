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

/** A matcher for one glob; build it once when the same pattern is tested against many values. */
export function globMatcher(pattern: string, ignoreCase = false): GlobMatcher {
  // Runs of `*` are one `*`: fewer restart points, same language.
  const p = pattern.includes('**') ? pattern.replace(/\*+/g, '*') : pattern;
  if (p === '*') return () => true;
  const literal = !p.includes('*') && !p.includes('?');
  if (!ignoreCase) return literal ? (v) => v === p : (v) => matchExact(p, v);
  const fold = folds();
  const folded = foldString(p, fold);
  if (!literal) return (v) => matchFolded(folded, v, fold);
  return (v) => {
    if (v.length !== folded.length) return false;
    for (let i = 0; i < v.length; i++) if (fold[v.charCodeAt(i)] !== folded.charCodeAt(i)) return false;
    return true;
  };
}

/** Does `value` match the glob `pattern`? (Compiles nothing: fine for one-off tests.) */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (!ignoreCase) return matchExact(pattern, value);
  const fold = folds();
  return matchFolded(foldString(pattern, fold), value, fold);
}
