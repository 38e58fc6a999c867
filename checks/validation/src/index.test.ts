import { CheckTester, account, organization, snapshot, trail, unreadable } from '@trailwarden/testing';
import validation from './index.js';

const MGMT = '111111111111';
const ARCHIVE = '222222222222';
const WORKLOAD = '333333333333';

new CheckTester().run(validation, {
  valid: [
    { name: 'validation on and digests delivered', snapshot: snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'main' })] })] }) },
    {
      name: 'an organization trail is judged once, in its owner account, not again in each member',
      snapshot: snapshot({
        organization: organization({ managementAccountId: MGMT }),
        accounts: [account(MGMT, { trails: [trail({ name: 'org', organization: true })] }), account(ARCHIVE), account(WORKLOAD)],
      }),
    },
    {
      name: 'a single-region trail homed in another region is judged by its own settings',
      snapshot: snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'eu', multiRegion: false, homeRegion: 'eu-west-1' })] })] }),
    },
  ],
  invalid: [
    {
      name: 'validation off',
      snapshot: snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'main', logFileValidation: false })] })] }),
      findings: [
        {
          status: 'FAIL',
          messageId: 'disabled',
          data: { name: 'main', arn: `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/main` },
          resource: 'main',
          // The fix command is the point of the wording.
          message: new RegExp(`Fix: aws cloudtrail update-trail --name arn:aws:cloudtrail:us-east-1:${MGMT}:trail/main --enable-log-file-validation$`),
        },
      ],
    },
    {
      name: 'validation on but digest delivery failing',
      snapshot: snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'main', status: { latestDigestDeliveryError: 'AccessDenied' } })] })] }),
      findings: [{ status: 'FAIL', messageId: 'digestFailing', data: { name: 'main', error: 'AccessDenied' }, evidence: { latestDigestDeliveryError: 'AccessDenied' } }],
    },
    {
      name: 'validation off is a FAIL even when the status cannot be read',
      snapshot: snapshot({
        accounts: [account(MGMT, { trails: [trail({ name: 'main', logFileValidation: false, status: unreadable('AccessDenied', 'GetTrailStatus') })] })],
      }),
      findings: [{ status: 'FAIL', messageId: 'disabled' }],
    },
    {
      name: 'validation on but the status is unreadable: ERROR naming the call, never PASS',
      snapshot: snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'main', status: unreadable('AccessDenied', 'GetTrailStatus') })] })] }),
      findings: [{ status: 'ERROR', resource: 'main', messageId: 'core.cannotDecide', data: { operation: 'GetTrailStatus', code: 'AccessDenied' } }],
    },
    {
      name: 'an account whose role could not be assumed is an ERROR for that account',
      snapshot: snapshot({
        accounts: [account(MGMT, { trails: [trail({ name: 'main' })] }), account(WORKLOAD, { access: unreadable('AccessDenied', 'AssumeRole') })],
      }),
      findings: [{ status: 'ERROR', accountId: WORKLOAD, messageId: 'core.cannotDecide', data: { operation: 'AssumeRole', code: 'AccessDenied' }, message: /AssumeRole failed in account 333333333333: AccessDenied/ }],
    },
    {
      name: 'each trail of an account is judged on its own',
      snapshot: snapshot({
        accounts: [
          account(MGMT, {
            trails: [trail({ name: 'good' }), trail({ name: 'bad', logFileValidation: false }), trail({ name: 'worse', multiRegion: false, logFileValidation: false })],
          }),
        ],
      }),
      findings: [
        // A PASS expected too, so every finding is compared: the good trail passes beside the bad ones.
        { status: 'FAIL', resource: 'bad', messageId: 'disabled', data: { name: 'bad' } },
        { status: 'PASS', resource: 'good', messageId: 'enabled', data: { name: 'good' }, evidence: { logFileValidationEnabled: true, latestDigestDeliveryError: null } },
        { status: 'FAIL', resource: 'worse', messageId: 'disabled', data: { name: 'worse' } },
      ],
    },
  ],
});
