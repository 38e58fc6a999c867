import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipStrict } from './gzip.js';

const LIMIT = 1 << 20;

describe('gunzipStrict', () => {
  it('decodes one member exactly as gunzip does', () => {
    const r = gunzipStrict(gzipSync('{"Records":[]}'), LIMIT);
    expect(r).toEqual({ ok: true, data: Buffer.from('{"Records":[]}') });
  });

  it('refuses an appended empty member that gunzipSync silently accepts', () => {
    const appended = Buffer.concat([gzipSync('{}'), gzipSync(Buffer.alloc(0))]);
    expect(gunzipSync(appended).toString()).toBe('{}'); // the pitfall
    expect(gunzipStrict(appended, LIMIT)).toMatchObject({ ok: false, reason: 'trailing' });
  });

  it('refuses a second member with content and trailing zero bytes', () => {
    expect(gunzipStrict(Buffer.concat([gzipSync('{}'), gzipSync('{"x":1}')]), LIMIT)).toMatchObject({ ok: false, reason: 'trailing' });
    expect(gunzipStrict(Buffer.concat([gzipSync('{}'), Buffer.alloc(4)]), LIMIT)).toMatchObject({ ok: false, reason: 'trailing' });
  });

  it('calls non-gzip, truncated and corrupted data invalid format', () => {
    expect(gunzipStrict(Buffer.from('{"not":"gzip"} and some more bytes'), LIMIT)).toMatchObject({ ok: false, reason: 'format' });
    const good = gzipSync('{"Records":[1,2,3]}');
    expect(gunzipStrict(good.subarray(0, good.length - 3), LIMIT)).toMatchObject({ ok: false, reason: 'format' });
    const badCrc = Buffer.from(good);
    badCrc[badCrc.length - 8] ^= 0xff;
    expect(gunzipStrict(badCrc, LIMIT)).toMatchObject({ ok: false, reason: 'format' });
  });

  it('reads headers with a file name and stops at the size limit', () => {
    const plain = gzipSync('hello');
    // Set FNAME and insert a NUL-terminated name after the 10 fixed bytes.
    const named = Buffer.concat([plain.subarray(0, 3), Buffer.from([8]), plain.subarray(4, 10), Buffer.from('log.json\0'), plain.subarray(10)]);
    expect(gunzipStrict(named, LIMIT)).toEqual({ ok: true, data: Buffer.from('hello') });
    expect(gunzipStrict(gzipSync(Buffer.alloc(4096)), 100)).toMatchObject({ ok: false, reason: 'too-large' });
  });
});
