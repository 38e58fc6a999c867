import { type Account, type EventDataStore, type ResourceRef, createCheck } from '@trailwarden/core';

/**
 * lake-kms-encryption (FSBP CloudTrail.10): every CloudTrail Lake event data store is encrypted
 * with a customer managed KMS key. Without one CloudTrail encrypts the store with a key AWS owns,
 * which nobody in the organization can audit, restrict or revoke. A store is judged once, in the
 * account that owns it (an organization store: the management account).
 */
export default createCheck({
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
          ctx.report({ status: 'ERROR', resource, error: store.details.error, evidence: { consequence: 'its encryption is unknown' } });
          return;
        }
        const d = store.details.value;
        const evidence = { kmsKeyId: d.kmsKeyId ?? null, organizationEnabled: d.organizationEnabled, status: d.status };
        if (d.kmsKeyId) ctx.report({ status: 'PASS', resource, messageId: 'encrypted', data: { name: store.name, key: d.kmsKeyId }, evidence });
        else ctx.report({ status: 'FAIL', resource, messageId: 'awsOwnedKey', data: { name: store.name, arn: store.arn, region: store.region, owner: store.ownerAccountId }, evidence });
      });
    };
    // A store listed by an account that does not own it (the delegated administrator sees the
    // organization's stores) is judged there only when its owner's own listing is not in the snapshot.
    const ownerListed = (store: EventDataStore) => ctx.account(store.ownerAccountId)?.get('eventDataStores').value?.[store.region]?.value !== undefined;
    const foreign: EventDataStore[] = [];
    ctx.forEachAccount((account) => {
      const listing = account.get('eventDataStores');
      if (listing.error) {
        // Not listed because the account's regions are unknown: that is the reason to give.
        ctx.report({ status: 'ERROR', resource: account.resource, error: account.get('regions').error ?? listing.error });
        return;
      }
      const byRegion = listing.value;
      const regions = Object.keys(byRegion).sort();
      let owned = 0;
      let failed = 0;
      for (const region of regions) {
        const listed = byRegion[region]!;
        if (listed.error) {
          failed++;
          ctx.report({ status: 'ERROR', resource: regionRef(ctx.partition, account, region), error: listed.error, evidence: { consequence: `event data stores in ${region} could not be listed, so their encryption was not judged` } });
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
        const name = account.name && account.name !== account.id ? `${account.name} (${account.id})` : account.id;
        ctx.report({ status: 'NOT_APPLICABLE', resource: account.resource, messageId: 'noStores', data: { account: name, regions: regions.join(', ') || 'none' }, evidence: { regions } });
      }
    });
    for (const store of foreign) if (!ownerListed(store)) judge(store);
  },
});

/** Where a region's listing failed: the stores there, as one unseen resource. */
function regionRef(partition: string, account: Account, region: string): ResourceRef {
  return { arn: `arn:${partition}:cloudtrail:${region}:${account.id}:eventdatastore/*`, type: 'AWS::CloudTrail::EventDataStore', name: `event data stores in ${region}`, accountId: account.id, region };
}
