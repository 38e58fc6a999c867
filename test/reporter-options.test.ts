import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tmp } from './helpers.js';

/** Reporter options are checked against the reporter's schema when the run starts, not after a collection. */
describe('reporter options', () => {
  it('a bad one stops `scan` before any AWS call: one line naming reporters.<id>.<option>, exit 2', () => {
    const cwd = tmp();
    writeFileSync(join(cwd, 'trailwarden.config.yaml'), ['reporters:', '  sarif:', '    maxResults: -1', ''].join('\n'));
    // Port 9 (discard) on loopback: a collection would fail with a connection error, not this message.
    const r = run(['scan', '--endpoint-url', 'http://127.0.0.1:9', '--format', 'sarif'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/reporters\.sarif\.maxResults/);
    expect(r.stderr).not.toMatch(/ECONNREFUSED|collect|\n\s+at /);
  });

  it('options for a reporter nobody installed are a typo, named with the likely fix', () => {
    const cwd = tmp();
    writeFileSync(join(cwd, 'trailwarden.config.yaml'), ['reporters:', '  sarf:', '    includeErrors: false', ''].join('\n'));
    const r = run(['scan', '--endpoint-url', 'http://127.0.0.1:9', '--format', 'json'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown reporter "sarf".*sarif/);
  });
});
