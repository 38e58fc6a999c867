/**
 * Locale-independent formatting: the report must be byte-identical for the same ScanResult, so it
 * never depends on the machine's locale or ICU data.
 */
export function formatCount(n: number): string {
  const s = String(Math.trunc(n));
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `5.3%`, one decimal, from a part and a whole (0 when the whole is 0). */
export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  return `${(Math.round((part / whole) * 1000) / 10).toFixed(1)}%`;
}

/** The http(s) URL itself, or undefined: only plain web links may appear as clickable links. */
export function safeHttpUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  return url.href;
}

/** Human labels for statuses; colour is never the only signal. */
export const STATUS_LABELS = {
  PASS: 'Pass',
  FAIL: 'Fail',
  ERROR: 'Error',
  NOT_APPLICABLE: 'N/A',
  NO_FINDINGS: 'No findings',
  MANUAL: 'Manual',
  NOT_RUN: 'Not run',
} as const;

export const AUTOMATION_LABELS = { automated: 'Automated', partial: 'Partly automated', manual: 'Manual' } as const;

export const SEVERITY_LABELS = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' } as const;
