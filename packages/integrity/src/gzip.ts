/**
 * Strict single-member gzip (RFC 1952). `zlib.gunzipSync` would decode every member of a
 * multi-member file and silently ignore trailing zero bytes, so an appended member (which gunzip,
 * Athena and other readers do read) would hash as valid. aws-cli (since PR #10324) reports any byte
 * after the first member as "unexpected data after end of compressed stream"; so do we.
 */
import { crc32 as zlibCrc32, gunzipSync, inflateRawSync } from 'node:zlib';

export type GunzipResult = { ok: true; data: Buffer } | { ok: false; reason: 'format' | 'trailing' | 'too-large'; detail: string };

const FTEXT = 1;
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

/** Length of the member header, or undefined when the bytes are not a gzip header. */
function headerLength(buf: Buffer): number | undefined {
  if (buf.length < 18 || buf[0] !== 0x1f || buf[1] !== 0x8b || buf[2] !== 8) return undefined;
  const flags = buf[3]!;
  if (flags & ~(FTEXT | FHCRC | FEXTRA | FNAME | FCOMMENT)) return undefined;
  let at = 10;
  if (flags & FEXTRA) {
    if (at + 2 > buf.length) return undefined;
    at += 2 + buf.readUInt16LE(at);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    const end = buf.indexOf(0, at);
    if (end < 0) return undefined;
    at = end + 1;
  }
  if (flags & FHCRC) at += 2;
  return at <= buf.length ? at : undefined;
}

// zlib.crc32 exists from Node 20.15 / 22.2; older Node checks the member through gunzipSync.
const crc32 = zlibCrc32 as ((data: Buffer) => number) | undefined;

/** Decompress exactly one gzip member; anything after it is `trailing`. */
export function gunzipStrict(buf: Buffer, maxOutput: number): GunzipResult {
  const header = headerLength(buf);
  if (header === undefined) return { ok: false, reason: 'format', detail: 'not a gzip file' };
  let data: Buffer;
  let consumed: number;
  try {
    const out = inflateRawSync(buf.subarray(header), { info: true, maxOutputLength: maxOutput }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    data = out.buffer;
    consumed = out.engine.bytesWritten;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') return { ok: false, reason: 'too-large', detail: `decompressed size over ${maxOutput} bytes` };
    return { ok: false, reason: 'format', detail: (err as Error).message };
  }
  const end = header + consumed + 8;
  if (end > buf.length) return { ok: false, reason: 'format', detail: 'truncated gzip member' };
  const storedCrc = buf.readUInt32LE(end - 8);
  const storedSize = buf.readUInt32LE(end - 4);
  if (crc32) {
    if (crc32(data) >>> 0 !== storedCrc || (data.length & 0xffffffff) >>> 0 !== storedSize) return { ok: false, reason: 'format', detail: 'incorrect data check' };
  } else {
    try {
      gunzipSync(buf.subarray(0, end), { maxOutputLength: maxOutput });
    } catch (err) {
      return { ok: false, reason: 'format', detail: (err as Error).message };
    }
  }
  if (end < buf.length) return { ok: false, reason: 'trailing', detail: `${buf.length - end} bytes after the first gzip member` };
  return { ok: true, data };
}
