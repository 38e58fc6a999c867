import { describe, expect, it } from 'vitest';
import { loadActionCatalog } from './catalog.js';
import { BUCKET_TAMPER_ACTIONS, EVENT_DATA_STORE_TAMPER_ACTIONS, KEY_TAMPER_ACTIONS, TAMPER_SERVICES, TRAIL_TAMPER_ACTIONS } from './tamper.js';

describe('tamper action lists', () => {
  it('name only actions AWS has (a typo would silently judge nothing)', async () => {
    const catalog = await loadActionCatalog(TAMPER_SERVICES);
    for (const pattern of [...TRAIL_TAMPER_ACTIONS, ...EVENT_DATA_STORE_TAMPER_ACTIONS, ...BUCKET_TAMPER_ACTIONS, ...KEY_TAMPER_ACTIONS]) {
      expect(catalog.expand(pattern), pattern).not.toEqual([]);
    }
  });

  it('CloudTrail Lake: deleting, stopping, updating a store and its resource policy; not PutEventSelectors (trails only) nor DisableFederation (query access, not recording)', () => {
    expect([...EVENT_DATA_STORE_TAMPER_ACTIONS]).toEqual(
      expect.arrayContaining(['cloudtrail:DeleteEventDataStore', 'cloudtrail:StopEventDataStoreIngestion', 'cloudtrail:UpdateEventDataStore', 'cloudtrail:PutResourcePolicy']),
    );
    expect([...EVENT_DATA_STORE_TAMPER_ACTIONS]).not.toContain('cloudtrail:PutEventSelectors');
    expect([...EVENT_DATA_STORE_TAMPER_ACTIONS]).not.toContain('cloudtrail:DisableFederation');
  });
});
