import type { ScanResult } from '../model/result.js';
import { MAX_REPORT_STRING_CHARS, capString, wellFormed } from '../util/text-safety.js';

/**
 * The ScanResult the reporters see: every string (values and object keys, in findings, evidence,
 * checks, coverage, notes) at most `maxChars` long, a cut one ending with a marker that names its
 * full length, and `limits` saying how many were cut; lone surrogates become U+FFFD (no report
 * format can carry them). One 20 MB string from AWS would otherwise be
 * copied into every message, evidence and report format. Fingerprints were computed from the whole
 * values, so a cut changes no alert identity; the snapshot keeps everything.
 */
export function boundResult(result: ScanResult, maxChars = MAX_REPORT_STRING_CHARS): ScanResult {
  let truncated = 0;
  const cap = (s: string) => {
    const c = capString(wellFormed(s), maxChars);
    if (c.truncated) truncated++;
    return c.text;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return cap(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[cap(k)] = walk(x);
      return out;
    }
    return v;
  };
  const { limits: _previous, ...rest } = result;
  const bounded = walk(rest) as ScanResult;
  bounded.limits = { maxStringChars: maxChars, truncatedStrings: truncated };
  return bounded;
}
