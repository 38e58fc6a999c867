import { describe, expect, it } from 'vitest';
import { CatalogError, loadActionCatalog } from './catalog.js';

describe('action catalogue (iam-data)', async () => {
  const catalog = await loadActionCatalog(['cloudtrail', 's3', 'kms']);

  it('expands wildcards to concrete actions, case-insensitively, sorted', () => {
    expect(catalog.expand('s3:deleteobject*')).toEqual([
      's3:DeleteObject',
      's3:DeleteObjectAnnotation',
      's3:DeleteObjectTagging',
      's3:DeleteObjectVersion',
      's3:DeleteObjectVersionAnnotation',
      's3:DeleteObjectVersionTagging',
    ]);
    expect(catalog.expand('cloudtrail:StopLogging')).toEqual(['cloudtrail:StopLogging']);
    expect(catalog.expand('kms:Put*')).toContain('kms:PutKeyPolicy');
    expect(catalog.expand('s3:NoSuchAction')).toEqual([]);
  });

  it('knows existence, canonical casing and RCP-supported services', () => {
    expect(catalog.has('CLOUDTRAIL:stoplogging')).toBe(true);
    expect(catalog.canonical('kms:schedulekeydeletion')).toBe('kms:ScheduleKeyDeletion');
    expect(catalog.rcpServices.has('s3')).toBe(true);
    expect(catalog.rcpServices.has('kms')).toBe(true);
    expect(catalog.rcpServices.has('cloudtrail')).toBe(false);
  });

  it('refuses patterns for services it did not load and unknown services', async () => {
    expect(() => catalog.expand('ec2:*')).toThrow(CatalogError);
    expect(() => catalog.expand('nocolon')).toThrow(CatalogError);
    await expect(loadActionCatalog(['not-a-service'])).rejects.toThrow('unknown AWS service prefix "not-a-service"');
  });
});
