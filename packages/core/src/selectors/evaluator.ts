import type {
  AdvancedEventSelector,
  AdvancedFieldSelector,
  ClassicEventSelector,
  Partition,
  TrailEventSelectors,
} from '../model/snapshot.js';

/**
 * One event-selector evaluator for every check, classic and advanced.
 *
 * Checks ask about a *class* of events ("every write management event", "every object-level read
 * in bucket B"), not one event, so field values are abstract: an exact string, or "any string that
 * starts with P" (P = '' means any string). Each question answers how much of the class is recorded:
 * `all`, `some` (narrowed by a prefix, an exclusion, an event name...) or `none`. Where the
 * answer cannot be decided exactly it leans to `some`, so a check never passes on a guess.
 */
export type SelectorCoverage = 'all' | 'some' | 'none';

export type FieldValue = { exact: string } | { prefix: string };

/** An abstract event: field name (advanced-selector field names) → value set. */
export type EventClass = Record<string, FieldValue>;

const RANK: Record<SelectorCoverage, number> = { none: 0, some: 1, all: 2 };
const min = (a: SelectorCoverage, b: SelectorCoverage): SelectorCoverage => (RANK[a] <= RANK[b] ? a : b);
const max = (a: SelectorCoverage, b: SelectorCoverage): SelectorCoverage => (RANK[a] >= RANK[b] ? a : b);

type Operator = 'equals' | 'notEquals' | 'startsWith' | 'notStartsWith' | 'endsWith' | 'notEndsWith';
const POSITIVE: Operator[] = ['equals', 'startsWith', 'endsWith'];
const NEGATIVE: Operator[] = ['notEquals', 'notStartsWith', 'notEndsWith'];

/** How much of the value set `v` satisfies `op operand`. */
function operatorCoverage(op: Operator, operand: string, v: FieldValue): SelectorCoverage {
  if ('exact' in v) {
    const s = v.exact;
    const holds =
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
    return holds ? 'all' : 'none';
  }
  const p = v.prefix;
  switch (op) {
    case 'equals':
      return operand.startsWith(p) ? 'some' : 'none';
    case 'notEquals':
      return operand.startsWith(p) ? 'some' : 'all';
    case 'startsWith':
      return p.startsWith(operand) ? 'all' : operand.startsWith(p) ? 'some' : 'none';
    case 'notStartsWith':
      return p.startsWith(operand) ? 'none' : operand.startsWith(p) ? 'some' : 'all';
    case 'endsWith':
      return operand === '' ? 'all' : 'some';
    case 'notEndsWith':
      return operand === '' ? 'none' : 'some';
  }
}

/** Within a field selector: the positive operators' values are OR-ed; every Not* value must hold. */
export function fieldSelectorCoverage(fs: AdvancedFieldSelector, value: FieldValue | undefined): SelectorCoverage {
  const positives = POSITIVE.flatMap((op) => (fs[op] ?? []).map((operand) => [op, operand] as const));
  const negatives = NEGATIVE.flatMap((op) => (fs[op] ?? []).map((operand) => [op, operand] as const));
  // A field the event class leaves open (e.g. userIdentity.arn) may take any value: the selector
  // then narrows the class, it neither drops nor keeps all of it.
  const v: FieldValue = value ?? { prefix: '' };
  let result: SelectorCoverage = positives.length === 0 ? 'all' : 'none';
  for (const [op, operand] of positives) result = max(result, operatorCoverage(op, operand, v));
  for (const [op, operand] of negatives) result = min(result, operatorCoverage(op, operand, v));
  return result;
}

/** An event matches a selector when it matches every field selector. */
export function advancedSelectorCoverage(selector: AdvancedEventSelector, event: EventClass): SelectorCoverage {
  let result: SelectorCoverage = 'all';
  for (const fs of selector.fieldSelectors) result = min(result, fieldSelectorCoverage(fs, event[fs.field]));
  return result;
}

/** A classic selector, for management or S3/Lambda/DynamoDB data events. */
export function classicSelectorCoverage(selector: ClassicEventSelector, event: EventClass, partition: Partition): SelectorCoverage {
  const readOnly = event.readOnly;
  const rwt = selector.readWriteType ?? 'All';
  const rw: SelectorCoverage =
    rwt === 'All' || readOnly === undefined
      ? rwt === 'All'
        ? 'all'
        : 'some'
      : 'exact' in readOnly
        ? (rwt === 'ReadOnly') === (readOnly.exact === 'true')
          ? 'all'
          : 'none'
        : 'some';
  if (rw === 'none') return 'none';
  const category = event.eventCategory;
  const isManagement = category !== undefined && 'exact' in category && category.exact === 'Management';
  if (isManagement) {
    if (selector.includeManagementEvents === false) return 'none';
    const excluded = selector.excludeManagementEventSources ?? [];
    let c: SelectorCoverage = rw;
    for (const source of excluded) c = min(c, operatorCoverage('notEquals', source, event.eventSource ?? { prefix: '' }));
    return c;
  }
  const type = event['resources.type'];
  const arn = event['resources.ARN'];
  if (type === undefined || !('exact' in type)) return 'none';
  let best: SelectorCoverage = 'none';
  for (const dr of selector.dataResources ?? []) {
    if (dr.type !== type.exact) continue;
    for (const value of dr.values) best = max(best, classicValueCoverage(dr.type, value, arn, partition));
  }
  return min(rw, best);
}

/**
 * Classic data resource values: `arn:<p>:s3` or `arn:<p>:s3:::` mean every S3 object;
 * `arn:<p>:s3:::bucket/` (or without the slash) the whole bucket; a longer value a key prefix only.
 */
function classicValueCoverage(type: string, value: string, arn: FieldValue | undefined, partition: Partition): SelectorCoverage {
  if (type === 'AWS::S3::Object') {
    if (value === `arn:${partition}:s3` || value === `arn:${partition}:s3:::`) return 'all';
    if (arn === undefined) return 'none';
    const normalized = value.endsWith('/') || value.includes('/') ? value : `${value}/`;
    return operatorCoverage('startsWith', normalized, arn);
  }
  // Other resource types (Lambda, DynamoDB): `arn:<p>:<service>` = all, otherwise ARN prefix.
  if (arn === undefined) return 'none';
  if (/^arn:[^:]+:[^:]+$/.test(value)) return 'all';
  return operatorCoverage('startsWith', value, arn);
}

/** The default selector of a trail that was never configured: every management event, read and write. */
export const DEFAULT_EVENT_SELECTORS: TrailEventSelectors = {
  eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true, dataResources: [] }],
};

export type Access = 'read' | 'write';

export interface SelectorEvaluator {
  /** How much of an event class a trail records: the best over its selectors (selectors are OR-ed). */
  coverage(selectors: TrailEventSelectors, event: EventClass): SelectorCoverage;
  /** Management events of the given access: `all` when nothing narrows them. */
  managementEvents(selectors: TrailEventSelectors, access: Access): SelectorCoverage;
  /** S3 object-level events of the given access for every object in `bucket`. */
  s3DataEvents(selectors: TrailEventSelectors, bucket: string, access: Access): SelectorCoverage;
  /** Event classes, for custom questions. */
  managementEventClass(access: Access): EventClass;
  s3DataEventClass(bucket: string, access: Access): EventClass;
}

export function createSelectorEvaluator(partition: Partition = 'aws'): SelectorEvaluator {
  const managementEventClass = (access: Access): EventClass => ({
    eventCategory: { exact: 'Management' },
    readOnly: { exact: access === 'read' ? 'true' : 'false' },
    eventSource: { prefix: '' },
    eventName: { prefix: '' },
  });
  const s3DataEventClass = (bucket: string, access: Access): EventClass => ({
    eventCategory: { exact: 'Data' },
    readOnly: { exact: access === 'read' ? 'true' : 'false' },
    eventSource: { exact: 's3.amazonaws.com' },
    eventName: { prefix: '' },
    'resources.type': { exact: 'AWS::S3::Object' },
    'resources.ARN': { prefix: `arn:${partition}:s3:::${bucket}/` },
  });
  const coverage = (selectors: TrailEventSelectors, event: EventClass): SelectorCoverage => {
    let best: SelectorCoverage = 'none';
    // A trail uses advanced or classic selectors, never both. AWS answers a never-configured trail
    // with the default selector itself, so an empty answer really records nothing.
    for (const s of selectors.advancedEventSelectors ?? []) best = max(best, advancedSelectorCoverage(s, event));
    for (const s of selectors.eventSelectors ?? []) best = max(best, classicSelectorCoverage(s, event, partition));
    return best;
  };
  return {
    coverage,
    managementEvents: (selectors, access) => coverage(selectors, managementEventClass(access)),
    s3DataEvents: (selectors, bucket, access) => coverage(selectors, s3DataEventClass(bucket, access)),
    managementEventClass,
    s3DataEventClass,
  };
}
