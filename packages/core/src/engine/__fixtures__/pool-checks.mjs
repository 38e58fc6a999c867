// Checks for the worker-pool tests (check-pool.test.ts): plain objects in the shape defineCheck
// returns, so this module imports nothing and loads in a worker thread as a plugin would.
const meta = (title) => ({
  title,
  description: 'Test check for the worker pool.',
  severity: 'high',
  resource: 'AWS::CloudTrail::Trail',
  remediation: { text: 'n/a' },
  messages: { ok: 'Trail {{name}} is fine.', bad: 'Trail {{name}} is multi-region.' },
});
const check = (id, evaluate, extra = {}) => ({ kind: 'trailwarden-check', apiVersion: 1, id, meta: meta(id), requires: ['trails'], evaluate, ...extra });

const judgeTrails = (ctx) =>
  ctx.forEachTrail((t) => {
    if (t.trail.isMultiRegionTrail) ctx.fail(t.resource, 'bad', { name: t.trail.name });
    else ctx.pass(t.resource, 'ok', { name: t.trail.name });
  });

export default [
  check('pool-trails', judgeTrails),
  // Reports its FAILs and PASSes, then computes forever without calling the context again.
  check(
    'pool-spin',
    (ctx) => {
      judgeTrails(ctx);
      for (;;) {
        /* stuck */
      }
    },
    { timeoutMs: 300 },
  ),
  // An async check that never settles.
  check('pool-hang', () => new Promise(() => {}), { timeoutMs: 200 }),
  // Ends its worker thread.
  check('pool-exit', () => {
    process.exit(7);
  }),
];
