import type { Identity, IdentityStore } from '../identity.js';
import type { Reply } from '../protocol/reply.js';
import type { SimRequest } from '../protocol/route.js';
import type { AccountModel, SimModel } from '../world/model.js';

/** What a service handler gets for one authenticated, admitted call. */
export interface CallContext {
  model: SimModel;
  identity: Identity;
  account: AccountModel;
  region: string;
  operation: string;
  req: SimRequest;
  requestId: string;
  nowMs: number;
  /** The instant Event History is seen from, when not the wall clock (SimOptions.eventHistoryAsOf). */
  historyNowMs?: number;
  identities: IdentityStore;
  /** awsJson input object (empty for other protocols). */
  input: Record<string, unknown>;
  /** awsQuery/ec2Query parameters (the query string for REST calls). */
  form: URLSearchParams;
}

export type Handler = (ctx: CallContext) => Reply;

/** Epoch seconds, as awsJson serializes timestamps. */
export const epochSeconds = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Date.parse(iso) / 1000);

/** Drops undefined fields so JSON answers carry only what AWS would send. */
export function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
