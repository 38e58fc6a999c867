/**
 * The request context: what the engine knows about a request's condition keys. A key is
 * `present` with values, known to be `absent`, or `unknown` (it depends on the actual call: source
 * IP, MFA, time, VPC, request tags...). Unknown keys make conditions undecidable, never true or false.
 */
export type ContextValue =
  | { state: 'present'; values: string[] }
  | { state: 'absent' }
  | { state: 'unknown' };

const ABSENT: ContextValue = { state: 'absent' };
const UNKNOWN: ContextValue = { state: 'unknown' };

export class RequestContext {
  private readonly values = new Map<string, ContextValue>();
  /** Lower-case key prefixes (e.g. `aws:principaltag/`) under which a missing key is known absent. */
  private readonly closedPrefixes: string[] = [];

  /** Set a key (case-insensitive). `null` marks it known absent; `undefined` leaves it unknown. */
  set(key: string, value: string | string[] | null | undefined): this {
    const k = key.toLowerCase();
    if (value === undefined) this.values.set(k, UNKNOWN);
    else if (value === null) this.values.set(k, ABSENT);
    else this.values.set(k, { state: 'present', values: Array.isArray(value) ? value : [value] });
    return this;
  }

  /** Every key under this prefix not set explicitly is absent (e.g. principal tags we hold in full). */
  closePrefix(prefix: string): this {
    this.closedPrefixes.push(prefix.toLowerCase());
    return this;
  }

  get(key: string): ContextValue {
    const k = key.toLowerCase();
    const v = this.values.get(k);
    if (v) return v;
    for (const p of this.closedPrefixes) if (k.startsWith(p)) return ABSENT;
    return UNKNOWN;
  }

  /** A copy with more keys set (the request-specific layer over the principal's context). */
  with(extra: Record<string, string | string[] | null | undefined>): RequestContext {
    const c = new RequestContext();
    for (const [k, v] of this.values) c.values.set(k, v);
    c.closedPrefixes.push(...this.closedPrefixes);
    for (const [k, v] of Object.entries(extra)) c.set(k, v);
    return c;
  }
}

/**
 * Keys that are absent when an IAM principal calls an AWS API directly: they are set only when an
 * AWS service calls on a resource's behalf (service principals), or for web-identity/SAML sessions.
 */
export const ABSENT_FOR_DIRECT_CALLS = [
  'aws:SourceArn',
  'aws:SourceAccount',
  'aws:SourceOwner',
  'aws:SourceOrgID',
  'aws:SourceOrgPaths',
  'aws:PrincipalServiceName',
  'aws:PrincipalServiceNamesList',
] as const;
