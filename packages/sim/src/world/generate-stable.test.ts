import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type GenerateWorldOptions, generateWorldWithTruth, planWorld, renderWorld } from './generate.js';

/** JSON with object keys sorted: the world's content, whatever order its fields were set in. */
const canon = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])]));
  return v;
};
const digest = (v: unknown) => createHash('sha256').update(JSON.stringify(canon(v))).digest('hex').slice(0, 16);

/**
 * The generator was one closure that built the plan and the world side by side and patched both;
 * it is now planWorld → renderWorld → truthFromPlan. These digests were taken from the old
 * generator (compared over 251 option sets when the split was made; taken again from the old
 * generator once it had CloudTrail Lake stores and root users, at the merge): the same options must keep
 * giving the same world, truth and plan, or every benchmark and ground-truth run changes meaning.
 */
describe('the world generator is deterministic and unchanged by its split', () => {
  const cases: [GenerateWorldOptions, { world: string; truth: string; plan: string }][] = [
    [{ seed: 1, accounts: 25 }, { world: 'e20467c2efb5dfca', truth: '201ac73ed4daea75', plan: '4d78ec470c928526' }],
    [{ seed: 7, accounts: 40, regions: 5, orgTrail: 'stopped' }, { world: '37c3614922dae9f3', truth: '883210c3cca207f0', plan: 'bcbe065da97beb6b' }],
    [{ seed: 11, accounts: 200, regions: 12 }, { world: '7ca7010fbd79c3c5', truth: 'c45ff3e64a506760', plan: '2cbe47d5ebe804c6' }],
    [{ seed: 3, accounts: 12, regions: ['us-east-1', 'af-south-1', 'eu-west-1'] }, { world: '09c63dedb244e531', truth: 'f7834d78f281e61a', plan: 'cbccfa957fb89e41' }],
  ];
  it.each(cases.map(([o, d]) => [JSON.stringify(o), o, d] as const))('%s', (_name, options, expected) => {
    const r = generateWorldWithTruth(options);
    expect({ world: digest(r.world), truth: digest(r.truth), plan: digest(r.plan) }).toEqual(expected);
  });

  it('renders the world from the plan alone: rendering twice gives the same world, and draws nothing', () => {
    const { plan, draft } = planWorld({ seed: 5, accounts: 30 });
    const before = JSON.stringify(plan);
    expect(canon(renderWorld(plan, draft))).toEqual(canon(renderWorld(plan, draft)));
    expect(JSON.stringify(plan)).toBe(before);
  });
});
