import type { AdvancedEventSelector, AdvancedFieldSelector, ClassicEventSelector } from '@trailwarden/core';

type ReadWriteType = NonNullable<ClassicEventSelector['readWriteType']>;

/**
 * Classic event selectors (PutEventSelectors `EventSelectors`). Each helper returns a list, so
 * several can be combined: `[...classicSelectors.allManagement(), ...classicSelectors.s3Data('logs')]`.
 * Use `{ partition }` only for non-`aws` partitions.
 */
export const classicSelectors = {
  /** Management events (default: read and write, no excluded sources) — what AWS applies to a new trail. */
  allManagement(opts: { readWriteType?: ReadWriteType; excludeSources?: string[] } = {}): ClassicEventSelector[] {
    return [
      {
        readWriteType: opts.readWriteType ?? 'All',
        includeManagementEvents: true,
        excludeManagementEventSources: opts.excludeSources ?? [],
        dataResources: [],
      },
    ];
  },
  /** No management events at all (e.g. a data-events-only trail). */
  noManagement(): ClassicEventSelector[] {
    return [{ readWriteType: 'All', includeManagementEvents: false, excludeManagementEventSources: [], dataResources: [] }];
  },
  /**
   * S3 object-level events for one bucket (`'logs'`, or `'logs/prefix'`) or for every bucket (`'*'`),
   * with management events too unless `includeManagement` is false.
   */
  s3Data(
    bucketOrAll: string,
    readWriteType: ReadWriteType = 'All',
    opts: { includeManagement?: boolean; partition?: string } = {},
  ): ClassicEventSelector[] {
    const p = opts.partition ?? 'aws';
    const value = bucketOrAll === '*' ? `arn:${p}:s3` : `arn:${p}:s3:::${bucketOrAll.includes('/') ? bucketOrAll : `${bucketOrAll}/`}`;
    return [
      {
        readWriteType,
        includeManagementEvents: opts.includeManagement ?? true,
        excludeManagementEventSources: [],
        dataResources: [{ type: 'AWS::S3::Object', values: [value] }],
      },
    ];
  },
};

const eq = (field: string, ...values: string[]): AdvancedFieldSelector => ({ field, equals: values });

/** Advanced event selectors (PutEventSelectors `AdvancedEventSelectors`). Each returns a list. */
export const advancedSelectors = {
  /** Every management event, read and write (the console's "Log all management events"). */
  managementAll(): AdvancedEventSelector[] {
    return [{ name: 'Management events selector', fieldSelectors: [eq('eventCategory', 'Management')] }];
  },
  /** Management events, narrowed to read-only (`readOnly: true`) or write-only (`readOnly: false`) when given. */
  management(opts: { readOnly?: boolean; excludeSources?: string[] } = {}): AdvancedEventSelector[] {
    const fieldSelectors = [eq('eventCategory', 'Management')];
    if (opts.readOnly !== undefined) fieldSelectors.push(eq('readOnly', String(opts.readOnly)));
    if (opts.excludeSources?.length) fieldSelectors.push({ field: 'eventSource', notEquals: opts.excludeSources });
    return [{ name: 'Management events selector', fieldSelectors }];
  },
  /**
   * S3 object-level data events: every bucket, or one `bucket` (`resources.ARN` starts with
   * `arn:aws:s3:::bucket/`), or an explicit `arnPrefix`; read-only/write-only when `readOnly` is given.
   */
  s3Data(opts: { bucket?: string; readOnly?: boolean; arnPrefix?: string; partition?: string } = {}): AdvancedEventSelector[] {
    const fieldSelectors = [eq('eventCategory', 'Data'), eq('resources.type', 'AWS::S3::Object')];
    const prefix = opts.arnPrefix ?? (opts.bucket ? `arn:${opts.partition ?? 'aws'}:s3:::${opts.bucket}/` : undefined);
    if (prefix) fieldSelectors.push({ field: 'resources.ARN', startsWith: [prefix] });
    if (opts.readOnly !== undefined) fieldSelectors.push(eq('readOnly', String(opts.readOnly)));
    return [{ name: 'S3 data events selector', fieldSelectors }];
  },
};
