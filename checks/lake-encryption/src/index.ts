import { type AccountView, type EventDataStore, type ResourceRef, defineCheck } from '@trailwarden/core';

/**
 * lake-kms-encryption (FSBP CloudTrail.10): every CloudTrail Lake event data store is encrypted
 * with a customer managed KMS key. Without one CloudTrail encrypts the store with a key AWS owns,
 * which nobody in the organization can audit, restrict or revoke. A store is judged once, in the
 * account that owns it (an organization store: the management account).
 */
export default defineCheck({
  id: 'lake-kms-encryption',
  meta: {
    title: 'CloudTrail Lake event data stores are encrypted with customer managed KMS keys',
    description:
      'Every CloudTrail Lake event data store must be encrypted with a customer managed AWS KMS key. By default CloudTrail encrypts the events with a key AWS owns, whose use the organization cannot audit in its own CloudTrail, restrict with a key policy or revoke.',
    severity: 'medium',
    resource: 'AWS::CloudTrail::EventDataStore',
    remediation: {
      text: 'Create a symmetric customer managed KMS key whose key policy lets cloudtrail.amazonaws.com use it, and set it on the event data store (in the account that owns the store: for an organization store, the management account or the CloudTrail delegated administrator). Once set, the key cannot be removed or changed, and disabling or deleting it stops ingestion and makes the events unreadable.',
      cli: 'aws cloudtrail update-event-data-store --event-data-store <event-data-store-arn> --kms-key-id <customer-managed-key-arn> --region <store-region>',
      terraform: 'resource "aws_cloudtrail_event_data_store" "main" {\n  name       = "management-events"\n  kms_key_id = aws_kms_key.lake.arn\n}',
    },
    docs: 'README.md',
    messages: {
      encrypted: 'Event data store {{name}} is encrypted with the customer managed KMS key {{key}}.',
      awsOwnedKey:
        'Event data store {{name}} is encrypted with a key AWS owns, not a customer managed KMS key. Fix: aws cloudtrail update-event-data-store --event-data-store {{arn}} --kms-key-id <customer-managed-key-arn> --region {{region}} (in account {{owner}}; the key policy must let cloudtrail.amazonaws.com use the key, and once set it cannot be changed)',
      noStores: 'Account {{account}} has no CloudTrail Lake event data stores in the scanned regions ({{regions}}).',
    },
  },
  requires: ['eventDataStores'],
  evaluate(ctx) {
    const judged = new Set<string>();
    const judge = (store: EventDataStore) => {
      if (judged.has(store.arn)) return;
      judged.add(store.arn);
      const resource: ResourceRef = { arn: store.arn, type: 'AWS::CloudTrail::EventDataStore', name: store.name, accountId: store.ownerAccountId, region: store.region };
      ctx.isolate(resource, () => {
        if (store.details.error) {
          ctx.error(resource, store.details.error, { consequence: 'its encryption is unknown' });
          return;
        }
        const d = store.details.value;
        const evidence = { kmsKeyId: d.kmsKeyId ?? null, organizationEnabled: d.organizationEnabled, status: d.status };
        if (d.kmsKeyId) ctx.pass(resource, 'encrypted', { name: store.name, key: d.kmsKeyId }, evidence);
        else ctx.fail(resource, 'awsOwnedKey', { name: store.name, arn: store.arn, region: store.region, owner: store.ownerAccountId }, evidence);
      });
    };
    // A store listed by an account that does not own it (the delegated administrator sees the
    // organization's stores) is judged there only when its owner's own listing is not in the snapshot.
    const ownerListed = (store: EventDataStore) => {
      const owner = ctx.snapshot.accounts[store.ownerAccountId];
      const listing = owner?.eventDataStores?.[store.region];
      return listing?.value !== undefined;
    };
    const foreign: EventDataStore[] = [];
    ctx.forEachAccount((account) => {
      const byRegion = account.data.eventDataStores;
      if (!byRegion) {
        ctx.error(account.resource, account.data.regions?.error ?? { code: 'NotCollected', message: 'the event data stores were not read in this account', operation: 'ListEventDataStores', accountId: account.id });
        return;
      }
      const regions = Object.keys(byRegion).sort();
      let owned = 0;
      let failed = 0;
      for (const region of regions) {
        const listed = byRegion[region]!;
        if (listed.error) {
          failed++;
          ctx.error(regionRef(ctx.partition, account, region), listed.error, { consequence: `event data stores in ${region} could not be listed, so their encryption was not judged` });
          continue;
        }
        for (const store of listed.value) {
          if (store.ownerAccountId === account.id) {
            owned++;
            judge(store);
          } else foreign.push(store);
        }
      }
      if (owned === 0 && failed === 0) {
        ctx.notApplicable(account.resource, 'noStores', { account: account.name && account.name !== account.id ? `${account.name} (${account.id})` : account.id, regions: regions.join(', ') || 'none' }, { regions });
      }
    });
    for (const store of foreign) if (!ownerListed(store)) judge(store);
  },
});

/** Where a region's listing failed: the stores there, as one unseen resource. */
function regionRef(partition: string, account: AccountView, region: string): ResourceRef {
  return { arn: `arn:${partition}:cloudtrail:${region}:${account.id}:eventdatastore/*`, type: 'AWS::CloudTrail::EventDataStore', name: `event data stores in ${region}`, accountId: account.id, region };
}
