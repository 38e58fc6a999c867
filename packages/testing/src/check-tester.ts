import { type Check, type CoreMessageId, CORE_MESSAGES, type Finding, type Snapshot, type Status } from '@trailwarden/core';
import { describe as vitestDescribe, it as vitestIt } from 'vitest';
import { runCheck } from './run-check.js';

/** One expected finding of an invalid case. Fields left out are not compared. */
export interface ExpectedFinding<MessageIds extends string = string> {
  status: Status;
  /** The message id; `core.cannotDecide` for an ERROR about a value that could not be read. */
  messageId?: MessageIds | CoreMessageId;
  /**
   * Fields the finding's message data must have (a subset: values compared exactly, strings may be
   * patterns). Assert `{ messageId, data }` rather than the formatted English, as RuleTester does.
   */
  data?: Record<string, string | number | boolean | RegExp>;
  /** The whole formatted message, or a pattern it must match. */
  message?: string | RegExp;
  /** The resource's name or ARN. */
  resource?: string;
  accountId?: string;
  region?: string;
  /** Fields the finding's evidence must have (objects compared as subsets, arrays and values exactly). */
  evidence?: Record<string, unknown>;
}

export interface ValidCase<Options extends object = object> {
  name: string;
  /** A snapshot, or a function building one (built when the test runs). */
  snapshot: Snapshot | (() => Snapshot);
  options?: Partial<Options>;
  /** Default: the tester's `now`, else the snapshot's `collectedAt`. */
  now?: Date;
  only?: boolean;
  skip?: boolean;
}

export interface InvalidCase<Options extends object = object, MessageIds extends string = string> extends ValidCase<Options> {
  /**
   * The FAIL and ERROR findings, one to one, in the engine's sorted order (check, account, region,
   * resource ARN). If any entry expects PASS or NOT_APPLICABLE, every finding is compared instead.
   */
  findings: ExpectedFinding<MessageIds>[];
}

export interface CheckTestCases<Options extends object = object, MessageIds extends string = string> {
  /** Cases with at least one finding, all PASS or NOT_APPLICABLE. */
  valid: ValidCase<Options>[];
  invalid: InvalidCase<Options, MessageIds>[];
}

export interface CheckTesterOptions {
  /** Clock for every case that does not set its own. Default: each snapshot's `collectedAt`. */
  now?: Date;
  /** Let the check read the system clock (default false: a case fails if it does; use `ctx.now`). */
  allowSystemClock?: boolean;
}

type Describe = (name: string, fn: () => void) => void;
type It = ((name: string, fn: () => Promise<void>) => void) & {
  only?: (name: string, fn: () => Promise<void>) => void;
  skip?: (name: string, fn: () => Promise<void>) => void;
};

/** Thrown when a case's findings do not match its expectations. */
export class CheckTestFailure extends Error {
  override name = 'CheckTestFailure';
}

/**
 * ESLint RuleTester's idea for Trailwarden checks: `valid` and `invalid` cases, each run through
 * the real engine (metadata and options validated as the CLI does), registered as vitest tests.
 */
export class CheckTester {
  /** The test framework's `describe` / `it`; replace them to run the tester under another runner. */
  static describe: Describe = vitestDescribe as unknown as Describe;
  static it: It = vitestIt as unknown as It;

  constructor(private readonly config: CheckTesterOptions = {}) {}

  run<Options extends object, MessageIds extends string>(check: Check<Options, MessageIds>, cases: CheckTestCases<Options, MessageIds>): void {
    const { describe, it } = CheckTester;
    if (!check || typeof check.id !== 'string') throw new TypeError('CheckTester.run: the first argument must be a check (defineCheck(...))');
    if (!Array.isArray(cases?.valid) || !Array.isArray(cases?.invalid)) {
      throw new TypeError(`CheckTester.run(${check.id}): give both \`valid\` and \`invalid\` case lists (possibly empty)`);
    }
    const register = (kind: 'valid' | 'invalid', c: ValidCase<Options>) => {
      const fn = async () => {
        await runCase(check, kind, c as InvalidCase<Options, MessageIds>, this.config);
      };
      const reg = c.only ? (it.only ?? it) : c.skip ? (it.skip ?? it) : it;
      reg(c.name, fn);
    };
    describe(check.id, () => {
      describe('valid', () => {
        for (const c of cases.valid) register('valid', c);
      });
      describe('invalid', () => {
        for (const c of cases.invalid) register('invalid', c);
      });
    });
  }
}

/** Run one case; throws a CheckTestFailure showing the actual findings when expectations are not met. */
export async function runCase<Options extends object, MessageIds extends string>(
  check: Check<Options, MessageIds>,
  kind: 'valid' | 'invalid',
  c: ValidCase<Options> | InvalidCase<Options, MessageIds>,
  config: CheckTesterOptions = {},
): Promise<Finding[]> {
  const snap = typeof c.snapshot === 'function' ? c.snapshot() : c.snapshot;
  if (!snap || typeof snap !== 'object') throw new CheckTestFailure(`${kind} case "${c.name}": no snapshot given`);
  const now = c.now ?? config.now;
  const findings = await runCheck(check, snap, {
    ...(c.options ? { options: c.options } : {}),
    ...(now ? { now } : {}),
    ...(config.allowSystemClock ? { allowSystemClock: true } : {}),
  });
  assertCase(check, kind, c, findings);
  return findings;
}

const PASSING: Status[] = ['PASS', 'NOT_APPLICABLE'];

/** Compare findings with a case's expectations; throws a CheckTestFailure naming every difference. */
export function assertCase<MessageIds extends string>(
  check: Check<object, MessageIds> | { id: string; meta: { messages: Record<string, string> } },
  kind: 'valid' | 'invalid',
  c: { name: string; findings?: ExpectedFinding<MessageIds>[] },
  findings: Finding[],
): void {
  const head = `${check.id} › ${kind} › "${c.name}"`;
  if (kind === 'valid') {
    if (findings.length === 0) throw new CheckTestFailure(`${head}: expected at least one PASS finding, the check reported nothing.`);
    const bad = findings.filter((f) => !PASSING.includes(f.status));
    if (bad.length > 0) {
      throw new CheckTestFailure(`${head}: expected every finding to be PASS or NOT_APPLICABLE; ${bad.length} is not.\n${formatFindings(findings)}`);
    }
    return;
  }
  const expected = c.findings;
  if (!Array.isArray(expected) || expected.length === 0) {
    throw new CheckTestFailure(`${head}: an invalid case needs \`findings\` (at least one expected FAIL or ERROR).\n${formatFindings(findings)}`);
  }
  for (const e of expected) {
    if (e.messageId !== undefined && !(e.messageId in check.meta.messages) && !(e.messageId in CORE_MESSAGES)) {
      throw new CheckTestFailure(`${head}: expected messageId "${e.messageId}" is not declared in meta.messages (${Object.keys(check.meta.messages).join(', ')}).`);
    }
  }
  const all = expected.some((e) => PASSING.includes(e.status));
  const actual = all ? findings : findings.filter((f) => !PASSING.includes(f.status));
  const problems: string[] = [];
  if (actual.length !== expected.length) {
    problems.push(`expected ${expected.length} ${all ? '' : 'FAIL/ERROR '}finding(s), got ${actual.length}`);
  }
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const diff = compareFinding(expected[i] as ExpectedFinding, actual[i] as Finding);
    if (diff.length > 0) problems.push(`finding #${i + 1}: ${diff.join('; ')}`);
  }
  if (problems.length > 0) {
    const scope = all ? 'all findings' : 'FAIL/ERROR findings';
    throw new CheckTestFailure(
      `${head}:\n  - ${problems.join('\n  - ')}\nExpected (${scope}):\n${expected.map((e, i) => `  #${i + 1} ${formatExpected(e)}`).join('\n')}\n${formatFindings(findings)}`,
    );
  }
}

function compareFinding(e: ExpectedFinding, f: Finding): string[] {
  const out: string[] = [];
  if (e.status !== f.status) out.push(`status: expected ${e.status}, got ${f.status}`);
  if (e.messageId !== undefined && e.messageId !== f.messageId) out.push(`messageId: expected "${e.messageId}", got ${f.messageId ? `"${f.messageId}"` : 'none (a v1 check reported this error with ctx.error)'}`);
  if (e.data !== undefined) {
    const where = subsetMismatch(e.data, f.data ?? {}, 'data');
    if (where) out.push(`${where}; the data is ${truncate(JSON.stringify(f.data ?? {}), 300)}`);
  }
  if (e.message !== undefined) {
    const ok = typeof e.message === 'string' ? e.message === f.message : e.message.test(f.message);
    if (!ok) out.push(`message: expected ${typeof e.message === 'string' ? JSON.stringify(e.message) : String(e.message)}, got ${JSON.stringify(f.message)}`);
  }
  if (e.resource !== undefined && e.resource !== f.resource.name && e.resource !== f.resource.arn) {
    out.push(`resource: expected "${e.resource}", got "${f.resource.name}" (${f.resource.arn})`);
  }
  if (e.accountId !== undefined && e.accountId !== f.accountId) out.push(`accountId: expected ${e.accountId}, got ${f.accountId}`);
  if (e.region !== undefined && e.region !== f.region) out.push(`region: expected ${e.region}, got ${f.region}`);
  if (e.evidence !== undefined) {
    const where = subsetMismatch(e.evidence, f.evidence, 'evidence');
    if (where) out.push(`${where}; the evidence is ${truncate(JSON.stringify(f.evidence), 300)}`);
  }
  return out;
}

/** Where `actual` fails to contain `expected` (objects as subsets), or undefined when it does. */
function subsetMismatch(expected: unknown, actual: unknown, path: string): string | undefined {
  // A pattern first: a RegExp is an object with no own fields, which would match anything.
  if (expected instanceof RegExp) return typeof actual === 'string' && expected.test(actual) ? undefined : `${path}: expected ${expected}, got ${JSON.stringify(actual)}`;
  if (expected && typeof expected === 'object' && !Array.isArray(expected)) {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return `${path}: expected an object, got ${JSON.stringify(actual)}`;
    for (const [k, v] of Object.entries(expected)) {
      const m = subsetMismatch(v, (actual as Record<string, unknown>)[k], `${path}.${k}`);
      if (m) return m;
    }
    return undefined;
  }
  return JSON.stringify(expected) === JSON.stringify(actual) ? undefined : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

function formatExpected(e: ExpectedFinding): string {
  const parts: string[] = [e.status];
  if (e.accountId) parts.push(e.accountId);
  if (e.region) parts.push(e.region);
  if (e.resource) parts.push(e.resource);
  if (e.messageId) parts.push(`[${e.messageId}]`);
  if (e.data) parts.push(JSON.stringify(e.data, (_, v) => (v instanceof RegExp ? String(v) : v)));
  if (e.message !== undefined) parts.push(typeof e.message === 'string' ? JSON.stringify(e.message) : String(e.message));
  return parts.join(' ');
}

/** One line per finding: status, account, region, resource, [messageId], message. */
export function formatFindings(findings: Finding[]): string {
  if (findings.length === 0) return 'Actual findings: none';
  const lines = findings.map(
    (f, i) =>
      `  #${i + 1} ${f.status.padEnd(14)} ${f.accountId} ${f.region.padEnd(14)} ${f.resource.name}${f.messageId ? ` [${f.messageId}]` : ''} ${truncate(f.message, 160)}`,
  );
  return `Actual findings (${findings.length}):\n${lines.join('\n')}`;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
