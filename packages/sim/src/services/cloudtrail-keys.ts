/**
 * CloudTrail ListPublicKeys (API reference): the region's digest signing keys whose validity
 * overlaps [StartTime, EndTime]; without a range, the key valid now. `Value` is DER PKCS#1.
 */
import { integrityWorld } from '../integrity/chains.js';
import { jsonReply } from '../protocol/reply.js';
import { SimError } from '../protocol/services.js';
import type { Handler } from './context.js';

const seconds = (v: unknown, field: string): number | undefined => {
  if (v === undefined || v === null) return undefined;
  const ms = typeof v === 'number' ? v * 1000 : typeof v === 'string' ? Date.parse(v) : Number.NaN;
  if (!Number.isFinite(ms)) throw new SimError('InvalidTimeRangeException', `${field} is not a timestamp`);
  return ms;
};

const listPublicKeys: Handler = (ctx) => {
  const start = seconds(ctx.input.StartTime, 'StartTime');
  const end = seconds(ctx.input.EndTime, 'EndTime');
  if (start !== undefined && end !== undefined && start > end) throw new SimError('InvalidTimeRangeException', 'Start time must be earlier than end time.');
  const from = start ?? ctx.nowMs;
  const to = end ?? Math.max(from, ctx.nowMs);
  const keys = integrityWorld(ctx.model).keysFor(ctx.region);
  const overlapping = keys.filter((k) => k.validityStart.getTime() <= to && k.validityEnd.getTime() >= from);
  const chosen = overlapping.length > 0 ? overlapping : keys.slice(-1);
  return jsonReply(
    {
      PublicKeyList: chosen.map((k) => ({
        Value: k.key.publicDer.toString('base64'),
        ValidityStartTime: k.validityStart.getTime() / 1000,
        ValidityEndTime: k.validityEnd.getTime() / 1000,
        Fingerprint: k.key.fingerprint,
      })),
    },
    ctx.requestId,
  );
};

export const cloudTrailKeyHandlers: Record<string, Handler> = { ListPublicKeys: listPublicKeys };
