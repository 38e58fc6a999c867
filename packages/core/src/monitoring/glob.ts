/**
 * Wildcard matching for `*` (any run of characters, including none) without building a RegExp from
 * the pattern: the text between stars is found left to right, each piece once, so the time is
 * bounded by (pieces × text length) and no input can make it backtrack. (A RegExp built from a
 * pattern such as `*a*a*a*…b` is a ReDoS.) Greedy leftmost placement is optimal for `*`-only
 * globs: taking the earliest occurrence of each piece leaves the most room for the ones after it.
 */
export function globMatch(pattern: string, text: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const t = ignoreCase ? text.toLowerCase() : text;
  if (!p.includes('*')) return p === t;
  const pieces = p.split('*');
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (first.length + last.length > t.length) return false;
  if (!t.startsWith(first) || !t.endsWith(last)) return false;
  let at = first.length;
  const end = t.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i]!;
    if (piece === '') continue;
    const found = t.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}
