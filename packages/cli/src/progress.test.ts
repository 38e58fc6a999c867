import { describe, expect, it } from 'vitest';
import type { CliIO } from './io.js';
import { progressReporter } from './progress.js';

function io(isTTY: boolean, columns?: number) {
  const err: string[] = [];
  const value: CliIO = {
    stdout: { write: () => true },
    stderr: { write: (s: string) => err.push(s), isTTY, ...(columns ? { columns } : {}) },
    cwd: '/',
    env: {},
  };
  return { io: value, err };
}

const event = (accountsDone: number) => ({ phase: 'accounts', accountsDone, accountsTotal: 1000, regionsDone: accountsDone * 17, calls: accountsDone * 30, throttles: 2, errors: 1 });

describe('collection progress', () => {
  it('off a terminal: a plain line at most every 10 s, with accounts, regions, calls and errors', () => {
    const { io: cli, err } = io(false);
    let now = 0;
    const p = progressReporter(cli, false, () => now);
    for (let t = 0; t <= 25_000; t += 500) {
      now = t;
      p.update(event(t / 500));
    }
    p.done();
    expect(err).toEqual([
      'trailwarden: collecting (10 s): 20/1000 accounts · 340 account-regions · 600 calls · 2 throttled · 1 errors\n',
      'trailwarden: collecting (20 s): 40/1000 accounts · 680 account-regions · 1200 calls · 2 throttled · 1 errors\n',
    ]);
  });

  it('--quiet prints nothing, on a terminal or not', () => {
    for (const tty of [true, false]) {
      const { io: cli, err } = io(tty, 80);
      let now = 0;
      const p = progressReporter(cli, true, () => now);
      for (let t = 0; t <= 30_000; t += 1000) {
        now = t;
        p.update(event(t / 1000));
      }
      p.done();
      expect(err).toEqual([]);
    }
  });

  it('on a terminal: the redrawn line is cut to the width so it never wraps', () => {
    const { io: cli, err } = io(true, 40);
    let now = 0;
    const p = progressReporter(cli, false, () => now);
    p.update(event(500));
    now = 1000;
    p.update({ ...event(1000), phase: 'done' });
    p.done();
    const lines = err.filter((s) => s.startsWith('\r')).map((s) => s.slice(1).replace('\x1b[K', ''));
    expect(lines).toHaveLength(2);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(39);
    expect(err.at(-1)).toBe('\n');
  });
});
