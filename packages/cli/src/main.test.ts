import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIO } from './io.js';
import { main } from './main.js';

const DEMO = resolve(import.meta.dirname, '../../../test/fixtures/org-snapshot.json');

function io(stdoutWrite: (s: string) => void): CliIO & { err: () => string } {
  let err = '';
  return {
    stdout: { write: stdoutWrite },
    stderr: { write: (s: string) => { err += s; } },
    cwd: mkdtempSync(join(tmpdir(), 'tw-main-')),
    env: { NO_COLOR: '1' },
    err: () => err,
  };
}

describe('main: exit codes', () => {
  it('an internal error is exit 4 (never 3, which a CI may tolerate), one line and a hint, no stack without --debug', async () => {
    const broken = io(() => {
      throw new Error('EIO: the terminal went away\u001b[2J');
    });
    const code = await main(['evaluate', DEMO, '--format', 'json', '--checks', 'trail-log-file-validation'], broken);
    expect(code).toBe(4);
    expect(broken.err()).toBe('trailwarden: internal error: EIO: the terminal went away\\x1b[2J\nRun again with --debug for the stack trace, and please report it.\n');
  });

  it('bad input stays exit 2', async () => {
    const quiet = io(() => {});
    expect(await main(['evaluate'], quiet)).toBe(2);
    expect(quiet.err()).toBe('trailwarden: evaluate needs a snapshot file: trailwarden evaluate snapshot.json\n');
  });
});
