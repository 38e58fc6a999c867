/** Access keys → identities, and STS AssumeRole's trust evaluation. */
import { createHash } from 'node:crypto';
import { globMatch } from '@trailwarden/core';
import type { IamRoleModel, SimModel } from './world/model.js';

export interface Identity {
  accountId: string;
  /** `arn:aws:iam::<acct>:user/<name>` or `arn:aws:sts::<acct>:assumed-role/<role>/<session>`. */
  arn: string;
  userId: string;
  /** For assumed-role sessions: the role's IAM ARN (what trust policies name). */
  roleArn?: string;
  sessionToken?: string;
  /** Temporary credentials: the instant they expire (epoch ms). */
  expiresAtMs?: number;
  /** Temporary credentials expired early on purpose (injection): calls they may still sign. */
  callsLeft?: number;
}

/** Credentials the simulator makes expire (`inject.expireCallerCredentials` / `expireRoleSessions`). */
export interface ExpiryOptions {
  caller?: { afterCalls?: number; afterSeconds?: number };
  roleSessions?: { afterCalls: number };
}

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export class IdentityStore {
  private readonly byKey = new Map<string, Identity>();
  private issued = 0;

  /** The caller's session token, when the caller's credentials are temporary (they expire). */
  readonly callerSessionToken: string | undefined;

  constructor(
    model: SimModel,
    private readonly seed: number,
    private readonly expiry: ExpiryOptions = {},
    startedAtMs = Date.now(),
  ) {
    const c = model.caller;
    const caller: Identity = { accountId: c.accountId, arn: c.arn, userId: deriveId('AIDA', c.arn) };
    const e = expiry.caller;
    if (e && (e.afterCalls !== undefined || e.afterSeconds !== undefined)) {
      // Only temporary credentials expire: the caller's then carry a session token, as STS issues them.
      caller.sessionToken = Buffer.from(`sim-caller-session:${createHash('sha256').update(`${seed}|${c.arn}`).digest('hex')}`).toString('base64');
      if (e.afterSeconds !== undefined) caller.expiresAtMs = startedAtMs + e.afterSeconds * 1000;
      if (e.afterCalls !== undefined) caller.callsLeft = e.afterCalls;
    }
    this.callerSessionToken = caller.sessionToken;
    this.byKey.set(c.accessKeyId, caller);
  }

  /**
   * Count one call signed by these credentials; true when they have expired (their expiration
   * passed, or their injected call budget is spent). An expired key stays expired.
   */
  expired(identity: Identity, nowMs: number): boolean {
    if (identity.expiresAtMs !== undefined && nowMs >= identity.expiresAtMs) return true;
    if (identity.callsLeft === undefined) return false;
    if (identity.callsLeft <= 0) return true;
    identity.callsLeft -= 1;
    return false;
  }

  lookup(accessKeyId: string): Identity | undefined {
    return this.byKey.get(accessKeyId);
  }

  /** Issues session credentials acting as `identity` (deterministic for a given seed and issue order). */
  issue(identity: Omit<Identity, 'sessionToken'>, durationSeconds: number, nowMs: number): IssuedCredentials {
    this.issued++;
    const h = (label: string) => createHash('sha256').update(`${this.seed}|${label}|${this.issued}|${identity.arn}`).digest('hex');
    const accessKeyId = ('ASIA' + h('key').toUpperCase().replace(/[^A-Z2-7]/g, '') + 'SIMSIMSIMSIMSIMSIM').slice(0, 20);
    const sessionToken = Buffer.from(`sim-session:${h('token')}`).toString('base64');
    const expiration = new Date(nowMs + durationSeconds * 1000);
    const afterCalls = this.expiry.roleSessions?.afterCalls;
    this.byKey.set(accessKeyId, { ...identity, sessionToken, expiresAtMs: expiration.getTime(), ...(afterCalls !== undefined ? { callsLeft: afterCalls } : {}) });
    return { accessKeyId, secretAccessKey: h('secret').slice(0, 40), sessionToken, expiration };
  }
}

export function deriveId(prefix: string, seed: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = createHash('sha256').update(seed).digest();
  let out = prefix;
  for (let i = 0; out.length < 21; i++) out += alphabet[bytes[i]! % 32];
  return out;
}

export type TrustResult = { ok: true; role: IamRoleModel } | { ok: false; reason: string };

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Principal?: string | Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function actionMatches(action: string | string[] | undefined): boolean {
  return asArray(action).some((a) => globMatch(a, 'sts:AssumeRole', true));
}

function principalMatches(principal: Statement['Principal'], caller: Identity, partition: string): boolean {
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  return asArray(principal.AWS).some(
    (p) =>
      p === '*' ||
      p === caller.accountId ||
      p === `arn:${partition}:iam::${caller.accountId}:root` ||
      p === caller.arn ||
      (caller.roleArn !== undefined && p === caller.roleArn),
  );
}

/** Only `StringEquals` on `sts:ExternalId` is understood; any other condition does not match (fail closed). */
function conditionMatches(condition: Statement['Condition'], externalId: string | undefined): boolean {
  if (!condition) return true;
  for (const [operator, entries] of Object.entries(condition)) {
    for (const [key, expected] of Object.entries(entries)) {
      if (operator !== 'StringEquals' || key.toLowerCase() !== 'sts:externalid') return false;
      if (externalId === undefined || !asArray(expected).includes(externalId)) return false;
    }
  }
  return true;
}

/**
 * AssumeRole succeeds when the role exists in the target account and its trust policy has an Allow
 * for sts:AssumeRole whose principal is the caller (`*`, the caller's account or root, its ARN, or for a
 * role session its role ARN) and whose conditions hold, and no Deny that matches.
 */
export function evaluateTrust(model: SimModel, caller: Identity, roleArn: string, externalId: string | undefined): TrustResult {
  const m = /^arn:[^:]+:iam::([0-9]{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  if (!m) return { ok: false, reason: 'malformed' };
  const role = model.accounts.get(m[1]!)?.iam.roles.find((r) => r.arn === roleArn || r.name === m[2]);
  if (!role || role.arn !== roleArn) return { ok: false, reason: 'no such role' };
  let doc: { Statement?: Statement | Statement[] };
  try {
    doc = JSON.parse(role.trustPolicyText);
  } catch {
    return { ok: false, reason: 'unparsable trust policy' };
  }
  let allowed = false;
  for (const s of asArray(doc.Statement)) {
    if (!actionMatches(s.Action) || !principalMatches(s.Principal, caller, model.partition)) continue;
    if (!conditionMatches(s.Condition, externalId)) continue;
    if (s.Effect === 'Deny') return { ok: false, reason: 'explicit deny' };
    if (s.Effect === 'Allow') allowed = true;
  }
  return allowed ? { ok: true, role } : { ok: false, reason: 'not trusted' };
}
