import type { BucketView, EventDataStore, JsonValue, KeyView, ResourceRef, TrailView } from '@trailwarden/core';
import {
  type ActionCatalog,
  BUCKET_TAMPER_ACTIONS,
  EVENT_DATA_STORE_TAMPER_ACTIONS,
  type IamModel,
  KEY_TAMPER_ACTIONS,
  LOCKED_OBJECT_DELETIONS,
  type ResourceTarget,
  TRAIL_TAMPER_ACTIONS,
  statementCoversAction,
} from '@trailwarden/iam';
import type { Ctx } from './messages.js';

/** One resource whose tamper actions are judged: a trail, its bucket (and a log object in it), its key; a CloudTrail Lake event data store. */
export interface Target {
  kind: 'trail' | 'bucket' | 'object' | 'key' | 'eventDataStore';
  resource: ResourceTarget;
  actions: string[];
  /** Principals named in the resource's policy (ARNs, account ids, `*`), for cross-account principals. */
  namedPrincipals: string[];
  /** Tamper actions some Allow of the resource policy covers: the only ones another account can get. */
  crossAccountActions?: string[];
  notes: string[];
}

const LOCKED = new Set<string>(LOCKED_OBJECT_DELETIONS.map((a) => a.toLowerCase()));

function expand(catalog: ActionCatalog, patterns: readonly string[]): string[] {
  return [...new Set(patterns.flatMap((p) => catalog.expand(p)))].sort();
}

/** AWS principals named by Allow statements of a resource policy (ARNs, account ids, `*`). */
export function namedPrincipals(document: JsonValue | null | undefined): string[] {
  const out = new Set<string>();
  if (!document || typeof document !== 'object' || Array.isArray(document)) return [];
  const raw = document.Statement;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  for (const st of list) {
    if (!st || typeof st !== 'object' || Array.isArray(st) || st.Effect !== 'Allow') continue;
    const p = st.Principal;
    if (p === '*') out.add('*');
    else if (p && typeof p === 'object' && !Array.isArray(p)) {
      const aws = p.AWS;
      for (const e of Array.isArray(aws) ? aws : aws !== undefined ? [aws] : []) if (typeof e === 'string') out.add(e);
    }
  }
  return [...out].sort();
}

/**
 * Collects the tamper targets of every trail once (buckets and keys shared by several trails once),
 * reporting ERROR for what cannot be judged (unresolved bucket or key, unreadable or malformed policy).
 */
export class TargetCollector {
  readonly targets: Target[] = [];
  /**
   * Targets that could not be judged (ERROR reported), by owner account (`undefined` when the owner
   * is unknown): no account PASS may claim that nobody can tamper with them.
   */
  readonly unknownTargets: { accountId: string | undefined; what: string }[] = [];
  private readonly seen = new Set<string>();
  private readonly trailActions: string[];
  private readonly bucketActions: string[];
  private readonly objectActions: string[];
  private readonly keyActions: string[];
  private readonly storeActions: string[];

  constructor(
    private readonly ctx: Ctx,
    private readonly model: IamModel,
  ) {
    const catalog = model.catalog;
    this.trailActions = expand(catalog, TRAIL_TAMPER_ACTIONS);
    const bucket = expand(catalog, BUCKET_TAMPER_ACTIONS);
    this.objectActions = bucket.filter((a) => a.toLowerCase().startsWith('s3:deleteobject'));
    this.bucketActions = bucket.filter((a) => !this.objectActions.includes(a));
    this.keyActions = expand(catalog, KEY_TAMPER_ACTIONS);
    this.storeActions = expand(catalog, EVENT_DATA_STORE_TAMPER_ACTIONS);
  }

  /**
   * A CloudTrail Lake event data store, in the account that owns it (an organization store: the
   * management account). Its resource policy is not collected: judged on identity policies, SCPs and
   * RCPs, like a trail.
   */
  addEventDataStore(store: EventDataStore): void {
    const notes = store.details.value?.organizationEnabled
      ? [`organization event data store: it lives in the management account ${store.ownerAccountId}; the CloudTrail delegated administrator can also change it`]
      : [];
    this.push({ kind: 'eventDataStore', resource: { arn: store.arn, accountId: store.ownerAccountId, region: store.region }, actions: this.storeActions, namedPrincipals: [], notes });
  }

  addTrail(view: TrailView): void {
    const t = view.trail;
    const notes = t.isOrganizationTrail
      ? [`organization trail: it can be changed only from its owner account ${t.ownerAccountId} (the management account)`]
      : [];
    this.push({ kind: 'trail', resource: { arn: t.arn, accountId: t.ownerAccountId, region: t.homeRegion }, actions: this.trailActions, namedPrincipals: [], notes });
    const bucket = view.bucket();
    if (bucket?.error) {
      const name = t.s3BucketName as string;
      // Its owner is unknown: reported against each account whose trails use it (once per account).
      if (this.markUnknown(`bucket|${name}|${t.ownerAccountId}`, undefined, `bucket ${name}`)) this.ctx.report({ status: 'ERROR', resource: this.bucketRef(name, t.ownerAccountId), error: bucket.error });
    } else if (bucket) this.addBucket(bucket.value, view);
    const key = view.key();
    if (key?.error) {
      const arn = t.kmsKeyId as string;
      const owner = arn.split(':')[4];
      if (this.markUnknown(`key|${arn}`, owner && this.ctx.account(owner) ? owner : undefined, `key ${arn}`)) {
        const resource = { arn, type: 'AWS::KMS::Key', name: arn, accountId: key.error.accountId ?? t.ownerAccountId, region: key.error.region ?? t.homeRegion };
        this.ctx.report({ status: 'ERROR', resource, error: key.error });
      }
    } else if (key) this.addKey(key.value);
  }

  /** Record a target that cannot be judged; false when it was already recorded (report it once). */
  private markUnknown(id: string, accountId: string | undefined, what: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    this.unknownTargets.push({ accountId, what });
    return true;
  }

  private bucketRef(name: string, accountId: string): ResourceRef {
    return { arn: `arn:${this.ctx.partition}:s3:::${name}`, type: 'AWS::S3::Bucket', name, accountId, region: 'global' };
  }

  private push(t: Target): void {
    if (this.seen.has(`${t.kind}|${t.resource.arn}`)) return;
    const allows = t.resource.policy?.statements.filter((st) => st.ref.effect === 'Allow') ?? [];
    t.crossAccountActions = t.actions.filter((a) => allows.some((st) => statementCoversAction(st, a)));
    this.seen.add(`${t.kind}|${t.resource.arn}`);
    this.targets.push(t);
  }

  private addBucket(view: BucketView, trail: TrailView): void {
    const b = view.bucket;
    if (this.seen.has(`bucket|${b.arn}`)) return;
    const policy = view.get('policy');
    if (policy.error) {
      this.markUnknown(`bucket|${b.arn}`, b.ownerAccountId, `bucket ${b.name}`);
      this.ctx.report({ status: 'ERROR', resource: view.resource, error: policy.error, evidence: { consequence: 'who can tamper with this bucket is unknown' } });
      return;
    }
    const compiled = this.model.compileResourcePolicy(policy.value, { name: 'bucket policy', arn: b.arn });
    if (compiled.error !== undefined) {
      this.markUnknown(`bucket|${b.arn}`, b.ownerAccountId, `bucket ${b.name}`);
      this.ctx.report({ status: 'ERROR', resource: view.resource, messageId: 'bucketPolicyMalformed', data: { bucket: b.name, problem: compiled.error } });
      return;
    }
    const region = b.region.value;
    const named = namedPrincipals(policy.value);
    this.push({ kind: 'bucket', resource: { arn: b.arn, accountId: b.ownerAccountId, region, policy: compiled.policy }, actions: this.bucketActions, namedPrincipals: named, notes: [] });
    // Object deletions are judged on a log object the trail writes, so prefix-scoped statements count.
    const t = trail.trail;
    const prefix = t.s3KeyPrefix ? `${t.s3KeyPrefix.replace(/\/+$/, '')}/` : '';
    const orgPart = t.isOrganizationTrail && this.model.organizationId ? `${this.model.organizationId}/` : '';
    const objectArn = `${b.arn}/${prefix}AWSLogs/${orgPart}${t.ownerAccountId}/CloudTrail/${t.homeRegion}/log.json.gz`;
    const lock = view.get('objectLock');
    const compliance = lock.value?.enabled === true && lock.value.defaultRetention?.mode === 'COMPLIANCE';
    const notes: string[] = [];
    let actions = this.objectActions;
    if (compliance) {
      actions = actions.filter((a) => !LOCKED.has(a.toLowerCase()));
      notes.push('Object Lock in COMPLIANCE mode: nobody can delete locked log objects, so s3:DeleteObject and s3:DeleteObjectVersion are not counted');
    } else if (lock.error) notes.push('Object Lock configuration unknown; object deletion counted as possible');
    this.push({ kind: 'object', resource: { arn: objectArn, accountId: b.ownerAccountId, region, policy: compiled.policy }, actions, namedPrincipals: named, notes });
  }

  private addKey(view: KeyView): void {
    const k = view.key;
    if (this.seen.has(`key|${k.arn}`)) return;
    const policy = view.get('policy');
    if (policy.error) {
      this.markUnknown(`key|${k.arn}`, k.ownerAccountId, `key ${k.arn}`);
      this.ctx.report({ status: 'ERROR', resource: view.resource, error: policy.error, evidence: { consequence: 'who can tamper with this key is unknown' } });
      return;
    }
    const compiled = this.model.compileResourcePolicy(policy.value, { name: 'key policy', arn: k.arn });
    if (compiled.error !== undefined) {
      this.markUnknown(`key|${k.arn}`, k.ownerAccountId, `key ${k.arn}`);
      this.ctx.report({ status: 'ERROR', resource: view.resource, messageId: 'keyPolicyMalformed', data: { key: k.arn, problem: compiled.error } });
      return;
    }
    const policyDoc = compiled.policy ?? null;
    this.push({ kind: 'key', resource: { arn: k.arn, accountId: k.ownerAccountId, region: k.region, policy: policyDoc }, actions: this.keyActions, namedPrincipals: namedPrincipals(policy.value), notes: [] });
  }
}
