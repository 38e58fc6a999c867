import type { JsonValue, Known } from '@trailwarden/core';
import { errorCode, toKnownError } from './errors.js';
import type { Metrics } from './pacing/metrics.js';

export interface ReadPlace {
  accountId: string;
  region: string;
  metrics: Metrics;
}

/**
 * Run one read and turn the outcome into a Known: the value; `notConfigured` when AWS answers with
 * one of the given "there is none" codes; otherwise the error (counted), never a throw.
 */
export async function readKnown<T>(
  place: ReadPlace,
  operation: string,
  run: () => Promise<T>,
  notConfigured?: { codes: readonly string[]; value: T },
): Promise<Known<T>> {
  try {
    return { value: await run() };
  } catch (err) {
    if (notConfigured?.codes.includes(errorCode(err))) return { value: notConfigured.value };
    place.metrics.errors += 1;
    return { error: toKnownError(err, operation, place.accountId, place.region) };
  }
}

/** Policy text as AWS returns it → parsed JSON, or the raw text when it is not JSON. */
export function parsePolicy(text: string | undefined, urlEncoded = false): JsonValue {
  if (text === undefined) return null;
  let decoded = text;
  if (urlEncoded) {
    try {
      decoded = decodeURIComponent(text);
    } catch {
      return text;
    }
  }
  try {
    return JSON.parse(decoded) as JsonValue;
  } catch {
    return decoded;
  }
}

/** An SDK output fragment → plain JSON (Dates as ISO strings, undefined dropped). */
export function toJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined && k !== '$metadata') out[k] = toJson(v);
    }
    return out;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  return String(value);
}

export function isoDate(d: Date | string | undefined): string | undefined {
  if (d === undefined) return undefined;
  return d instanceof Date ? d.toISOString() : d;
}

/** Drop keys whose value is undefined (the snapshot schema forbids nothing, but JSON stays lean). */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
