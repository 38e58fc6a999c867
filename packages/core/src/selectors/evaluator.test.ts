import { describe, expect, it } from 'vitest';
import type { AdvancedEventSelector, AdvancedFieldSelector, ClassicEventSelector, TrailEventSelectors } from '../model/snapshot.js';
import {
  DEFAULT_EVENT_SELECTORS,
  type SelectorCoverage,
  advancedSelectorCoverage,
  createSelectorEvaluator,
  fieldSelectorCoverage,
} from './evaluator.js';

const ev = createSelectorEvaluator('aws');
const classic = (...eventSelectors: ClassicEventSelector[]): TrailEventSelectors => ({ eventSelectors });
const advanced = (...advancedEventSelectors: AdvancedEventSelector[]): TrailEventSelectors => ({ advancedEventSelectors });
const sel = (...fieldSelectors: AdvancedFieldSelector[]): AdvancedEventSelector => ({ fieldSelectors });
/** Puts the expected answers in the test title. */
const titled = <T>(cases: [string, T, SelectorCoverage, SelectorCoverage][]) =>
  cases.map(([name, x, read, write]) => [`${name} → read ${read}, write ${write}`, x, read, write] as [string, T, SelectorCoverage, SelectorCoverage]);
const mgmt = (extra: AdvancedFieldSelector[] = []): AdvancedEventSelector =>
  sel({ field: 'eventCategory', equals: ['Management'] }, ...extra);
const s3Data = (extra: AdvancedFieldSelector[] = []): AdvancedEventSelector =>
  sel({ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::S3::Object'] }, ...extra);

describe('operator oracle (docs/architecture.md), value bedrock.amazonaws.com', () => {
  const value = { exact: 'bedrock.amazonaws.com' };
  const cases: [string, Omit<AdvancedFieldSelector, 'field'>, boolean][] = [
    ['Equals[bedrock.amazonaws.com]', { equals: ['bedrock.amazonaws.com'] }, true],
    ['Equals[ec2.amazonaws.com]', { equals: ['ec2.amazonaws.com'] }, false],
    ['NotEquals[ec2.amazonaws.com]', { notEquals: ['ec2.amazonaws.com'] }, true],
    ['NotEquals[bedrock.amazonaws.com]', { notEquals: ['bedrock.amazonaws.com'] }, false],
    ['StartsWith[bedrock.]', { startsWith: ['bedrock.'] }, true],
    ['StartsWith[ec2.]', { startsWith: ['ec2.'] }, false],
    ['NotStartsWith[ec2.]', { notStartsWith: ['ec2.'] }, true],
    ['NotStartsWith[bedrock.]', { notStartsWith: ['bedrock.'] }, false],
    ['EndsWith[.amazonaws.com]', { endsWith: ['.amazonaws.com'] }, true],
    ['EndsWith[.amazonaws.org]', { endsWith: ['.amazonaws.org'] }, false],
    ['NotEndsWith[.amazonaws.org]', { notEndsWith: ['.amazonaws.org'] }, true],
    ['NotEndsWith[.amazonaws.com]', { notEndsWith: ['.amazonaws.com'] }, false],
  ];
  it.each(cases)('%s → %s', (_name, ops, expected) => {
    expect(fieldSelectorCoverage({ field: 'eventSource', ...ops }, value)).toBe(expected ? 'all' : 'none');
    // The same answer through a whole selector and the evaluator's coverage question.
    const event = { eventCategory: { exact: 'Management' }, eventSource: value };
    expect(ev.coverage(advanced(sel({ field: 'eventSource', ...ops })), event)).toBe(expected ? 'all' : 'none');
  });

  it('a selector with no field selectors matches every event', () => {
    expect(advancedSelectorCoverage(sel(), { eventSource: value })).toBe('all');
  });

  it('within a field selector, positive values are OR-ed and every Not* value must hold', () => {
    expect(fieldSelectorCoverage({ field: 'eventSource', equals: ['ec2.amazonaws.com', 'bedrock.amazonaws.com'] }, value)).toBe('all');
    expect(fieldSelectorCoverage({ field: 'eventSource', startsWith: ['ec2.'], endsWith: ['.amazonaws.com'] }, value)).toBe('all');
    expect(
      fieldSelectorCoverage({ field: 'eventSource', notEquals: ['ec2.amazonaws.com', 'bedrock.amazonaws.com'] }, value),
    ).toBe('none');
    expect(fieldSelectorCoverage({ field: 'eventSource', notStartsWith: ['ec2.', 's3.'] }, value)).toBe('all');
    expect(fieldSelectorCoverage({ field: 'eventSource', startsWith: ['bedrock.'], notEndsWith: ['.com'] }, value)).toBe('none');
  });
});

describe('operators over a value set (prefix classes)', () => {
  const anyKey = { prefix: 'arn:aws:s3:::logs/' };
  const cases: [string, Omit<AdvancedFieldSelector, 'field'>, SelectorCoverage][] = [
    ['StartsWith the bucket', { startsWith: ['arn:aws:s3:::logs/'] }, 'all'],
    ['StartsWith a shorter prefix', { startsWith: ['arn:aws:s3:::'] }, 'all'],
    ['StartsWith a key prefix inside the bucket', { startsWith: ['arn:aws:s3:::logs/AWSLogs/'] }, 'some'],
    ['StartsWith another bucket', { startsWith: ['arn:aws:s3:::other/'] }, 'none'],
    ['StartsWith a bucket sharing the name prefix', { startsWith: ['arn:aws:s3:::logs-archive/'] }, 'none'],
    ['Equals one object', { equals: ['arn:aws:s3:::logs/a.json'] }, 'some'],
    ['Equals an object elsewhere', { equals: ['arn:aws:s3:::other/a.json'] }, 'none'],
    ['NotEquals one object', { notEquals: ['arn:aws:s3:::logs/a.json'] }, 'some'],
    ['NotEquals an object elsewhere', { notEquals: ['arn:aws:s3:::other/a.json'] }, 'all'],
    ['NotStartsWith the bucket', { notStartsWith: ['arn:aws:s3:::logs/'] }, 'none'],
    ['NotStartsWith a key prefix', { notStartsWith: ['arn:aws:s3:::logs/tmp/'] }, 'some'],
    ['NotStartsWith another bucket', { notStartsWith: ['arn:aws:s3:::other/'] }, 'all'],
    ['EndsWith a suffix', { endsWith: ['.json.gz'] }, 'some'],
    ['NotEndsWith a suffix', { notEndsWith: ['.tmp'] }, 'some'],
  ];
  it.each(cases)('%s → %s', (_name, ops, expected) => {
    expect(fieldSelectorCoverage({ field: 'resources.ARN', ...ops }, anyKey)).toBe(expected);
  });
});

describe('advanced selectors: per-field AND, selector OR, names mean nothing', () => {
  it('an event must match every field selector of a selector', () => {
    const s = sel({ field: 'eventCategory', equals: ['Management'] }, { field: 'readOnly', equals: ['true'] });
    expect(ev.managementEvents(advanced(s), 'read')).toBe('all');
    expect(ev.managementEvents(advanced(s), 'write')).toBe('none');
  });

  it('an event is recorded when it matches any selector', () => {
    const reads = mgmt([{ field: 'readOnly', equals: ['true'] }]);
    const writes = mgmt([{ field: 'readOnly', equals: ['false'] }]);
    const both = advanced(reads, writes);
    expect(ev.managementEvents(both, 'read')).toBe('all');
    expect(ev.managementEvents(both, 'write')).toBe('all');
  });

  it('answers the best over the selectors (all beats some beats none)', () => {
    const narrowed = mgmt([{ field: 'eventSource', notEquals: ['kms.amazonaws.com'] }]);
    expect(ev.managementEvents(advanced(narrowed), 'write')).toBe('some');
    expect(ev.managementEvents(advanced(narrowed, mgmt()), 'write')).toBe('all');
  });

  it('selector names mean nothing: an advanced management selector named anything passes', () => {
    const named = (name: string) => advanced({ name, fieldSelectors: mgmt().fieldSelectors });
    for (const name of ['Management events selector', 'Log all management events', 'xyz', '', 'S3 data events only']) {
      expect(ev.managementEvents(named(name), 'read')).toBe('all');
      expect(ev.managementEvents(named(name), 'write')).toBe('all');
    }
    // ...and the console's default name does not make a data selector a management one.
    const misnamed = advanced({ name: 'Management events selector', fieldSelectors: s3Data().fieldSelectors });
    expect(ev.managementEvents(misnamed, 'write')).toBe('none');
  });

  it('an empty advanced selector list records nothing', () => {
    expect(ev.managementEvents(advanced(), 'write')).toBe('none');
    expect(ev.s3DataEvents(advanced(), 'logs', 'write')).toBe('none');
  });
});

describe('management events', () => {
  it('the default selector of a never-configured trail records all management events, read and write', () => {
    expect(ev.managementEvents(DEFAULT_EVENT_SELECTORS, 'read')).toBe('all');
    expect(ev.managementEvents(DEFAULT_EVENT_SELECTORS, 'write')).toBe('all');
    expect(ev.s3DataEvents(DEFAULT_EVENT_SELECTORS, 'logs', 'write')).toBe('none');
  });

  const classicCases: [string, ClassicEventSelector, SelectorCoverage, SelectorCoverage][] = [
    ['ReadWriteType All', { readWriteType: 'All', includeManagementEvents: true }, 'all', 'all'],
    ['ReadWriteType missing = All', { includeManagementEvents: true }, 'all', 'all'],
    ['IncludeManagementEvents missing = true', { readWriteType: 'All' }, 'all', 'all'],
    ['ReadOnly', { readWriteType: 'ReadOnly', includeManagementEvents: true }, 'all', 'none'],
    ['WriteOnly', { readWriteType: 'WriteOnly', includeManagementEvents: true }, 'none', 'all'],
    ['IncludeManagementEvents false', { readWriteType: 'All', includeManagementEvents: false }, 'none', 'none'],
    [
      'ExcludeManagementEventSources non-empty',
      { readWriteType: 'All', includeManagementEvents: true, excludeManagementEventSources: ['kms.amazonaws.com'] },
      'some',
      'some',
    ],
    [
      'ExcludeManagementEventSources empty',
      { readWriteType: 'All', includeManagementEvents: true, excludeManagementEventSources: [] },
      'all',
      'all',
    ],
  ];
  it.each(titled(classicCases))('classic %s', (_name, s, read, write) => {
    expect(ev.managementEvents(classic(s), 'read')).toBe(read);
    expect(ev.managementEvents(classic(s), 'write')).toBe(write);
  });

  it('classic: a read-only selector plus a write-only selector on the same trail add up', () => {
    const s = classic(
      { readWriteType: 'ReadOnly', includeManagementEvents: true },
      { readWriteType: 'WriteOnly', includeManagementEvents: true },
    );
    expect(ev.managementEvents(s, 'read')).toBe('all');
    expect(ev.managementEvents(s, 'write')).toBe('all');
  });

  it('classic: an excluded source does not exclude other sources', () => {
    const s = classic({ readWriteType: 'All', includeManagementEvents: true, excludeManagementEventSources: ['kms.amazonaws.com'] });
    const event = (source: string) => ({ ...ev.managementEventClass('write'), eventSource: { exact: source } });
    expect(ev.coverage(s, event('kms.amazonaws.com'))).toBe('none');
    expect(ev.coverage(s, event('iam.amazonaws.com'))).toBe('all');
  });

  const advancedCases: [string, AdvancedFieldSelector[], SelectorCoverage, SelectorCoverage][] = [
    ['eventCategory = Management only', [], 'all', 'all'],
    ['readOnly = true', [{ field: 'readOnly', equals: ['true'] }], 'all', 'none'],
    ['readOnly = false', [{ field: 'readOnly', equals: ['false'] }], 'none', 'all'],
    ['readOnly NotEquals true', [{ field: 'readOnly', notEquals: ['true'] }], 'none', 'all'],
    ['eventSource NotEquals kms', [{ field: 'eventSource', notEquals: ['kms.amazonaws.com'] }], 'some', 'some'],
    ['eventSource Equals iam', [{ field: 'eventSource', equals: ['iam.amazonaws.com'] }], 'some', 'some'],
    ['eventName StartsWith Delete', [{ field: 'eventName', startsWith: ['Delete'] }], 'some', 'some'],
    ['eventName NotEquals ConsoleLogin', [{ field: 'eventName', notEquals: ['ConsoleLogin'] }], 'some', 'some'],
    ['eventSource StartsWith "" (matches anything)', [{ field: 'eventSource', startsWith: [''] }], 'all', 'all'],
  ];
  it.each(titled(advancedCases))('advanced %s', (_name, extra, read, write) => {
    expect(ev.managementEvents(advanced(mgmt(extra)), 'read')).toBe(read);
    expect(ev.managementEvents(advanced(mgmt(extra)), 'write')).toBe(write);
  });

  it('advanced: a data-only selector records no management events', () => {
    expect(ev.managementEvents(advanced(s3Data()), 'write')).toBe('none');
  });

  it('a field the evaluator cannot pin down narrows the answer instead of widening it', () => {
    // userIdentity.arn is not part of the management event class: any value is possible.
    const notFromRole = mgmt([{ field: 'userIdentity.arn', notStartsWith: ['arn:aws:sts::111111111111:assumed-role/Noisy/'] }]);
    expect(ev.managementEvents(advanced(notFromRole), 'write')).toBe('some');
    const onlyRole = mgmt([{ field: 'userIdentity.arn', startsWith: ['arn:aws:sts::111111111111:assumed-role/Admin/'] }]);
    expect(ev.managementEvents(advanced(onlyRole), 'write')).toBe('some');
  });
});

describe('S3 data events, classic', () => {
  const s3 = (values: string[], readWriteType: ClassicEventSelector['readWriteType'] = 'All') =>
    classic({ readWriteType, includeManagementEvents: true, dataResources: [{ type: 'AWS::S3::Object', values }] });

  const cases: [string, string[], SelectorCoverage][] = [
    ['arn:aws:s3 (all buckets)', ['arn:aws:s3'], 'all'],
    ['arn:aws:s3::: (all buckets)', ['arn:aws:s3:::'], 'all'],
    ['arn:aws:s3:::logs/ (the bucket)', ['arn:aws:s3:::logs/'], 'all'],
    ['arn:aws:s3:::logs (the bucket, no slash)', ['arn:aws:s3:::logs'], 'all'],
    ['arn:aws:s3:::logs/AWSLogs/ (a prefix)', ['arn:aws:s3:::logs/AWSLogs/'], 'some'],
    ['arn:aws:s3:::logs/AWSLogs (a prefix, no slash)', ['arn:aws:s3:::logs/AWSLogs'], 'some'],
    ['arn:aws:s3:::other/ (another bucket)', ['arn:aws:s3:::other/'], 'none'],
    ['arn:aws:s3:::log (a bucket whose name is a prefix)', ['arn:aws:s3:::log'], 'none'],
    ['arn:aws:s3:::logs-archive/ (a bucket that starts with the name)', ['arn:aws:s3:::logs-archive/'], 'none'],
    ['a prefix plus the whole bucket', ['arn:aws:s3:::logs/AWSLogs/', 'arn:aws:s3:::logs/'], 'all'],
    ['another partition', ['arn:aws-cn:s3'], 'none'],
  ];
  it.each(cases)('%s → %s', (_name, values, expected) => {
    expect(ev.s3DataEvents(s3(values), 'logs', 'write')).toBe(expected);
    expect(ev.s3DataEvents(s3(values), 'logs', 'read')).toBe(expected);
  });

  it('ReadWriteType restricts the access recorded', () => {
    expect(ev.s3DataEvents(s3(['arn:aws:s3'], 'ReadOnly'), 'logs', 'write')).toBe('none');
    expect(ev.s3DataEvents(s3(['arn:aws:s3'], 'ReadOnly'), 'logs', 'read')).toBe('all');
    expect(ev.s3DataEvents(s3(['arn:aws:s3'], 'WriteOnly'), 'logs', 'write')).toBe('all');
    expect(ev.s3DataEvents(s3(['arn:aws:s3'], 'WriteOnly'), 'logs', 'read')).toBe('none');
  });

  it('only AWS::S3::Object data resources count for S3 object events', () => {
    const lambda = classic({ readWriteType: 'All', dataResources: [{ type: 'AWS::Lambda::Function', values: ['arn:aws:lambda'] }] });
    expect(ev.s3DataEvents(lambda, 'logs', 'write')).toBe('none');
  });

  it('IncludeManagementEvents false does not switch data events off', () => {
    const dataOnly = classic({ readWriteType: 'All', includeManagementEvents: false, dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }] });
    expect(ev.s3DataEvents(dataOnly, 'logs', 'write')).toBe('all');
    expect(ev.managementEvents(dataOnly, 'write')).toBe('none');
  });

  it('uses the snapshot partition', () => {
    const cn = createSelectorEvaluator('aws-cn');
    expect(cn.s3DataEvents(s3(['arn:aws-cn:s3']), 'logs', 'write')).toBe('all');
    expect(cn.s3DataEvents(s3(['arn:aws:s3']), 'logs', 'write')).toBe('none');
  });
});

describe('S3 data events, advanced', () => {
  const cases: [string, AdvancedFieldSelector[], SelectorCoverage, SelectorCoverage][] = [
    ['no ARN constraint (every bucket)', [], 'all', 'all'],
    ['resources.ARN StartsWith the bucket', [{ field: 'resources.ARN', startsWith: ['arn:aws:s3:::logs/'] }], 'all', 'all'],
    ['resources.ARN StartsWith a key prefix', [{ field: 'resources.ARN', startsWith: ['arn:aws:s3:::logs/AWSLogs/'] }], 'some', 'some'],
    ['resources.ARN StartsWith another bucket', [{ field: 'resources.ARN', startsWith: ['arn:aws:s3:::other/'] }], 'none', 'none'],
    ['resources.ARN Equals one object', [{ field: 'resources.ARN', equals: ['arn:aws:s3:::logs/x.json'] }], 'some', 'some'],
    ['resources.ARN NotStartsWith the bucket', [{ field: 'resources.ARN', notStartsWith: ['arn:aws:s3:::logs/'] }], 'none', 'none'],
    ['resources.ARN NotStartsWith another bucket', [{ field: 'resources.ARN', notStartsWith: ['arn:aws:s3:::other/'] }], 'all', 'all'],
    ['resources.ARN NotStartsWith a prefix in it', [{ field: 'resources.ARN', notStartsWith: ['arn:aws:s3:::logs/tmp/'] }], 'some', 'some'],
    ['readOnly = true', [{ field: 'readOnly', equals: ['true'] }], 'all', 'none'],
    ['readOnly = false', [{ field: 'readOnly', equals: ['false'] }], 'none', 'all'],
    ['eventName = PutObject', [{ field: 'eventName', equals: ['PutObject'] }], 'some', 'some'],
    ['eventSource = s3.amazonaws.com', [{ field: 'eventSource', equals: ['s3.amazonaws.com'] }], 'all', 'all'],
  ];
  it.each(titled(cases))('%s', (_name, extra, read, write) => {
    expect(ev.s3DataEvents(advanced(s3Data(extra)), 'logs', 'read')).toBe(read);
    expect(ev.s3DataEvents(advanced(s3Data(extra)), 'logs', 'write')).toBe(write);
  });

  it('a read-only data selector does not satisfy the write question', () => {
    const readOnly = advanced(s3Data([{ field: 'readOnly', equals: ['true'] }]));
    expect(ev.s3DataEvents(readOnly, 'logs', 'write')).toBe('none');
  });

  it('a selector for another resource type or a management selector records no S3 object events', () => {
    const ddb = advanced(sel({ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::DynamoDB::Table'] }));
    expect(ev.s3DataEvents(ddb, 'logs', 'write')).toBe('none');
    expect(ev.s3DataEvents(advanced(mgmt()), 'logs', 'write')).toBe('none');
  });

  it('a data selector without resources.type matches every data event, S3 objects included', () => {
    const noType = advanced(sel({ field: 'eventCategory', equals: ['Data'] }));
    expect(ev.s3DataEvents(noType, 'logs', 'write')).toBe('all');
  });

  it('selectors OR: a read selector and a write selector for the bucket cover both', () => {
    const both = advanced(s3Data([{ field: 'readOnly', equals: ['true'] }]), s3Data([{ field: 'readOnly', equals: ['false'] }]));
    expect(ev.s3DataEvents(both, 'logs', 'read')).toBe('all');
    expect(ev.s3DataEvents(both, 'logs', 'write')).toBe('all');
  });
});

describe('soundness against concrete events (seeded random)', () => {
  // A tiny deterministic PRNG, so failures reproduce.
  let seed = 20261121;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const ALPHABET = ['a', 'b', '/', '.'];
  const word = (max: number) => Array.from({ length: rand(max + 1) }, () => ALPHABET[rand(ALPHABET.length)]).join('');
  const OPS = ['equals', 'notEquals', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith'] as const;
  const holds = (op: (typeof OPS)[number], operand: string, s: string): boolean =>
    op === 'equals'
      ? s === operand
      : op === 'notEquals'
        ? s !== operand
        : op === 'startsWith'
          ? s.startsWith(operand)
          : op === 'notStartsWith'
            ? !s.startsWith(operand)
            : op === 'endsWith'
              ? s.endsWith(operand)
              : !s.endsWith(operand);
  /** The documented semantics, on one concrete value: positives OR-ed (if any), every Not* holds. */
  const concrete = (fs: AdvancedFieldSelector, s: string): boolean => {
    const pos = (['equals', 'startsWith', 'endsWith'] as const).flatMap((op) => (fs[op] ?? []).map((v) => holds(op, v, s)));
    const neg = (['notEquals', 'notStartsWith', 'notEndsWith'] as const).flatMap((op) => (fs[op] ?? []).map((v) => holds(op, v, s)));
    return (pos.length === 0 || pos.some(Boolean)) && neg.every(Boolean);
  };
  const randomFieldSelector = (): AdvancedFieldSelector => {
    const fs: AdvancedFieldSelector = { field: 'f' };
    for (let i = 0, n = 1 + rand(3); i < n; i++) {
      const op = OPS[rand(OPS.length)] as (typeof OPS)[number];
      fs[op] = [...(fs[op] ?? []), word(3)];
    }
    return fs;
  };

  it('exact values: the answer is all or none, exactly as the semantics say', () => {
    for (let i = 0; i < 3000; i++) {
      const fs = randomFieldSelector();
      const s = word(5);
      expect(fieldSelectorCoverage(fs, { exact: s }), JSON.stringify({ fs, s })).toBe(concrete(fs, s) ? 'all' : 'none');
    }
  });

  it('prefix classes: "all" means every member matches, "none" means none does', () => {
    for (let i = 0; i < 1500; i++) {
      const fs = randomFieldSelector();
      const p = word(3);
      const answer = fieldSelectorCoverage(fs, { prefix: p });
      // Members of the class: the prefix itself plus suffixes, including every operand's tail.
      const members = [p, ...Array.from({ length: 40 }, () => p + word(4))];
      for (const op of OPS) for (const v of fs[op] ?? []) if (v.startsWith(p)) members.push(v, `${v}a`);
      const matches = members.map((m) => concrete(fs, m));
      const where = JSON.stringify({ fs, p, answer });
      if (answer === 'all') expect(matches.every(Boolean), where).toBe(true);
      if (answer === 'none') expect(matches.some(Boolean), where).toBe(false);
    }
  });
});
