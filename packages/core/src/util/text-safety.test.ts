import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../model/result.js';
import { boundResult } from '../engine/bounds.js';
import { capString, terminalSafe, wellFormed } from './text-safety.js';

describe('terminalSafe', () => {
  it('shows C0, C1, DEL and bidi controls as visible escapes, one line unless asked', () => {
    expect(terminalSafe('a\u001b[2Jb\u009bc\u007fd\u202ee\u2066f\r\ng\th')).toBe('a\\x1b[2Jb\\x9bc\\x7fd\\u202ee\\u2066f\\x0d\\x0ag\\x09h');
    expect(terminalSafe('line 1\nline\t2\u001b', true)).toBe('line 1\nline\t2\\x1b');
  });
  it('keeps ordinary text, emoji and non-Latin scripts as they are', () => {
    expect(terminalSafe('trail-é 日本 💥 [x](y)')).toBe('trail-é 日本 💥 [x](y)');
  });
});

describe('wellFormed', () => {
  it('replaces lone surrogates, keeps pairs, so encodeURIComponent never throws', () => {
    expect(wellFormed('a\uD800b\uDC00c💥')).toBe('a\uFFFDb\uFFFDc💥');
    expect(() => encodeURIComponent(wellFormed('\uDBFF'))).not.toThrow();
  });
});

describe('capString and boundResult', () => {
  it('cuts at the limit, never inside a surrogate pair, and names the full length', () => {
    expect(capString('abc', 5)).toEqual({ text: 'abc', truncated: false });
    expect(capString('abcdef', 3).text).toBe('abc… [truncated by Trailwarden: 6 characters in the snapshot]');
    expect(capString('ab💥cd', 3).text.startsWith('ab…')).toBe(true);
  });
  it('bounds every string of a result, keys included, and counts what it cut', () => {
    const long = 'x'.repeat(50);
    const result = {
      scan: { notes: [long] },
      findings: [{ message: long, fingerprint: 'f', evidence: { [long]: long, n: 1, ok: true, nested: [long, null] } }],
    } as unknown as ScanResult;
    const bounded = boundResult(result, 20) as unknown as { scan: { notes: string[] }; findings: { message: string; fingerprint: string; evidence: Record<string, unknown> }[]; limits: unknown };
    expect(bounded.limits).toEqual({ maxStringChars: 20, truncatedStrings: 5 });
    expect(bounded.findings[0]!.fingerprint).toBe('f');
    expect(bounded.findings[0]!.evidence.n).toBe(1);
    expect(bounded.scan.notes[0]).toMatch(/^x{20}… \[truncated by Trailwarden: 50 characters/);
    // The input is not changed: the snapshot and the engine keep the whole values.
    expect(result.scan.notes[0]).toBe(long);
  });
});
