/**
 * XML 1.0 escaping for attacker-controlled strings (resource names, tags, policy text). Characters
 * XML 1.0 cannot carry at all (most C0 controls, U+FFFE/U+FFFF, lone surrogates) are removed:
 * escaping them as `&#1;` would still be ill-formed XML 1.0.
 */
const ILLEGAL_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function stripIllegalXmlChars(s: string): string {
  return s.replace(ILLEGAL_XML_CHARS, '');
}

/** Element text: `]]>` cannot appear raw, so `>` is escaped too. */
export function escapeText(s: string): string {
  return stripIllegalXmlChars(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values: quotes, and whitespace as character references so parsers keep it. */
export function escapeAttr(s: string): string {
  return stripIllegalXmlChars(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** `<name a="1" b="2">` with escaped attribute values, in the order given. */
export function openTag(name: string, attrs: Record<string, string | number>, selfClose = false): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`)
    .join('');
  return `<${name}${a}${selfClose ? '/>' : '>'}`;
}
