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
const NO_PREFIXES: readonly string[] = [];

/** Lower-case form of condition keys: the same few keys are looked up millions of times. */
const lowerKeys = new Map<string, string>();
function lower(key: string): string {
  let k = lowerKeys.get(key);
  if (k === undefined) {
    k = key.toLowerCase();
    if (lowerKeys.size < 10_000) lowerKeys.set(key, k);
  }
  return k;
}

export class RequestContext {
  private readonly values: Map<string, ContextValue>;
  /** Lower-case key prefixes (e.g. `aws:principaltag/`) under which a missing key is known absent. */
  private closedPrefixes: readonly string[] = NO_PREFIXES;
  /**
   * The context this one extends (`with`, `over`): its keys hold unless set here. Layering instead
   * of copying keeps the per-request layer cheap, since every request would otherwise copy the
   * principal's keys.
   */
  private readonly parent?: RequestContext;

  /** `values` is for `over` only: a layer sharing another context's own keys. */
  constructor(parent?: RequestContext, values?: Map<string, ContextValue>) {
    this.parent = parent;
    this.values = values ?? new Map();
  }

  /** Set a key (case-insensitive). `null` marks it known absent; `undefined` leaves it unknown. */
  set(key: string, value: string | string[] | null | undefined): this {
    const k = lower(key);
    if (value === undefined) this.values.set(k, UNKNOWN);
    else if (value === null) this.values.set(k, ABSENT);
    else this.values.set(k, { state: 'present', values: Array.isArray(value) ? value : [value] });
    return this;
  }

  /** Every key under this prefix not set explicitly is absent (e.g. principal tags we hold in full). */
  closePrefix(prefix: string): this {
    this.closedPrefixes = [...this.closedPrefixes, prefix.toLowerCase()];
    return this;
  }

  get(key: string): ContextValue {
    const k = lower(key);
    // Keys set in any layer win over every closed prefix, as if the layers were one map.
    for (let c: RequestContext | undefined = this; c; c = c.parent) {
      const v = c.values.get(k);
      if (v) return v;
    }
    for (let c: RequestContext | undefined = this; c; c = c.parent) {
      for (const p of c.closedPrefixes) if (k.startsWith(p)) return ABSENT;
    }
    return UNKNOWN;
  }

  /**
   * This context's own keys (not its closed prefixes, not its parent's) layered over `base`, shared
   * rather than copied: `layer.over(base)` answers as `base.with(extra)` does when `layer` was
   * built as `new RequestContext().set(...)` from the same `extra`. For keys many requests share
   * (a resource's) over many principals' contexts.
   */
  over(base: RequestContext): RequestContext {
    return new RequestContext(base, this.values);
  }

  /** A context with more keys set (the request-specific layer over the principal's context). */
  with(extra: Record<string, string | string[] | null | undefined>): RequestContext {
    const c = new RequestContext(this);
    for (const k in extra) c.set(k, extra[k]);
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
