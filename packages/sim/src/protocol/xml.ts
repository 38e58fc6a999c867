/** A minimal XML writer: enough for AWS response bodies. */

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}

export type XmlValue = string | number | boolean | undefined | null;

/** `<tag>escaped value</tag>`, or nothing when the value is undefined or null. */
export function el(tag: string, value: XmlValue): string {
  if (value === undefined || value === null) return '';
  return `<${tag}>${escapeXml(String(value))}</${tag}>`;
}

/** `<tag>already-XML children</tag>`. */
export function wrap(tag: string, children: string, attrs = ''): string {
  return `<${tag}${attrs ? ` ${attrs}` : ''}>${children}</${tag}>`;
}

/** An awsQuery/EC2 list: `<tag><member>…</member>…</tag>` (EC2 uses `item`). */
export function list<T>(tag: string, items: readonly T[] | undefined, render: (item: T) => string, member = 'member'): string {
  if (items === undefined) return '';
  return wrap(tag, items.map((i) => wrap(member, render(i))).join(''));
}

export const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';
