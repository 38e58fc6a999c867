/**
 * Strings from AWS, a snapshot, a config or a plugin may be hostile. These helpers make them safe to
 * show on a terminal, to percent-encode, and bounded in size.
 */

/**
 * C0 controls (but tab and newline), DEL, C1 controls, and the Unicode bidi controls that reorder
 * what a terminal shows (LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI, ALM, LRM/RLM).
 */
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const TERMINAL_UNSAFE_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * A string as printable text: every control or bidi character becomes a visible `\xNN` / `\uNNNN`
 * escape, lone surrogates become U+FFFD. `multiline` keeps newlines (and tabs); otherwise they are
 * escaped too, so one value is always one line.
 */
export function terminalSafe(text: string, multiline = false): string {
  const s = wellFormed(String(text));
  return s.replace(multiline ? TERMINAL_UNSAFE : TERMINAL_UNSAFE_ONE_LINE, escapeChar);
}

/**
 * `String.prototype.toWellFormed()` (lone surrogates → U+FFFD), written out because the project's
 * TypeScript lib (ES2023) does not type it; `encodeURIComponent` throws URIError on a lone surrogate.
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** Strings in reports are cut at this many UTF-16 code units (the snapshot keeps them whole). */
export const MAX_REPORT_STRING_CHARS = 8192;

/** The marker a cut string ends with, naming its full length. */
export function truncationMarker(fullLength: number): string {
  return `… [truncated by Trailwarden: ${fullLength} characters in the snapshot]`;
}

/** `text` whole when it fits, else its first `max` code units (never half a surrogate pair) and the marker. */
export function capString(text: string, max = MAX_REPORT_STRING_CHARS): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return { text: `${text.slice(0, end)}${truncationMarker(text.length)}`, truncated: true };
}
