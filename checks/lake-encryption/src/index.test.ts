import { CheckTester, account, eventDataStore, organization, snapshot, unreadable } from '@trailwarden/testing';
import lake from './index.js';

const MGMT = '111111111111';
const ADMIN = '222222222222';
const MEMBER = '333333333333';
const KEY = `arn:aws:kms:us-east-1:${MGMT}:key/0b1c2d3e-1111-2222-3333-444455556666`;

new CheckTester().run(lake, {
  valid: [
    {
      name: 'a store with a customer managed key passes',
      snapshot: snapshot({ accounts: [account(MGMT, { eventDataStores: [eventDataStore({ name: 'audit', kmsKeyId: KEY })] })] }),
    },
  ],
  invalid: [
    {
      name: 'a store encrypted with a key AWS owns fails with the update-event-data-store fix',
      snapshot: snapshot({ accounts: [account(MGMT, { eventDataStores: [eventDataStore({ name: 'audit' })] })] }),
      findings: [
        {
          status: 'FAIL',
          messageId: 'awsOwnedKey',
          resource: 'audit',
          region: 'us-east-1',
          data: { name: 'audit', arn: /^arn:aws:cloudtrail:us-east-1:111111111111:eventdatastore\/[0-9a-f-]+$/, region: 'us-east-1', owner: MGMT },
          // The fix command is the point of the wording.
          message: /aws cloudtrail update-event-data-store --event-data-store arn:aws:cloudtrail:us-east-1:111111111111:eventdatastore\/[0-9a-f-]+ --kms-key-id <customer-managed-key-arn> --region us-east-1/,
        },
      ],
    },
    {
      name: 'each store is judged on its own, in its own region',
      snapshot: snapshot({
        accounts: [account(MGMT, { eventDataStores: [eventDataStore({ name: 'good', kmsKeyId: KEY }), eventDataStore({ name: 'eu', region: 'eu-west-1' })] })],
      }),
      findings: [
        { status: 'FAIL', resource: 'eu', region: 'eu-west-1', messageId: 'awsOwnedKey', data: { name: 'eu', region: 'eu-west-1' } },
        { status: 'PASS', resource: 'good', messageId: 'encrypted', data: { name: 'good', key: KEY } },
      ],
    },
    {
      name: 'no stores in any scanned region: NOT_APPLICABLE for the account',
      snapshot: snapshot({ accounts: [account(MGMT)] }),
      findings: [{ status: 'NOT_APPLICABLE', messageId: 'noStores', accountId: MGMT, data: { account: MGMT, regions: 'eu-west-1, us-east-1' } }],
    },
    {
      name: 'the store list could not be read: ERROR, never NOT_APPLICABLE',
      snapshot: snapshot({ accounts: [account(MGMT, { eventDataStores: unreadable('AccessDeniedException', 'ListEventDataStores') })] }),
      findings: [
        // A v1 check: its ERRORs carry no message id or data, only the formatted reason.
        { status: 'ERROR', region: 'eu-west-1', message: /ListEventDataStores failed in account 111111111111, region eu-west-1: AccessDeniedException/ },
        { status: 'ERROR', region: 'us-east-1', message: /ListEventDataStores failed .*us-east-1/ },
      ],
    },
    {
      name: 'one region unreadable: ERROR there, the stores elsewhere judged, no NOT_APPLICABLE claim',
      snapshot: snapshot({
        accounts: [account(MGMT, { eventDataStores: [eventDataStore({ name: 'audit', kmsKeyId: KEY })], eventDataStoresUnreadable: { 'eu-west-1': unreadable('ThrottlingException', 'ListEventDataStores') } })],
      }),
      findings: [
        { status: 'ERROR', region: 'eu-west-1', message: /ThrottlingException/ },
        { status: 'PASS', resource: 'audit', messageId: 'encrypted' },
      ],
    },
    {
      name: 'GetEventDataStore failed: ERROR for that store',
      snapshot: snapshot({ accounts: [account(MGMT, { eventDataStores: [eventDataStore({ name: 'audit', details: unreadable('AccessDeniedException', 'GetEventDataStore') })] })] }),
      findings: [{ status: 'ERROR', resource: 'audit', message: /GetEventDataStore failed .*AccessDeniedException/ }],
    },
    {
      name: 'an organization store is judged once, in the management account; members without stores are NOT_APPLICABLE',
      snapshot: snapshot({
        organization: organization({ managementAccountId: MGMT, delegatedAdministrators: [{ accountId: ADMIN, servicePrincipal: 'cloudtrail.amazonaws.com' }] }),
        accounts: [account(MGMT, { eventDataStores: [eventDataStore({ name: 'org-eds', organization: true })] }), account(ADMIN), account(MEMBER)],
      }),
      findings: [
        { status: 'FAIL', resource: 'org-eds', accountId: MGMT, messageId: 'awsOwnedKey', data: { name: 'org-eds', owner: MGMT } },
        { status: 'NOT_APPLICABLE', accountId: ADMIN, messageId: 'noStores', data: { account: ADMIN } },
        { status: 'NOT_APPLICABLE', accountId: MEMBER, messageId: 'noStores', data: { account: MEMBER } },
      ],
    },
    {
      name: 'an account whose role could not be assumed is an ERROR',
      snapshot: snapshot({ accounts: [account(MGMT, { eventDataStores: [eventDataStore({ name: 'audit', kmsKeyId: KEY })] }), account(MEMBER, { access: unreadable('AccessDenied', 'AssumeRole') })] }),
      findings: [
        { status: 'PASS', resource: 'audit', messageId: 'encrypted' },
        { status: 'ERROR', accountId: MEMBER, message: /AssumeRole failed/ },
      ],
    },
  ],
});
