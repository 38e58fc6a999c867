import { describe, expect, it } from 'vitest';
import { type VersioningState, type VersioningVerdict, assessVersioning, describeVersioning } from './versioning.js';

describe('assessVersioning', () => {
  it.each<[VersioningState, VersioningVerdict]>([
    [{ status: 'Enabled', mfaDelete: 'Enabled' }, 'protected'],
    [{ status: 'Enabled', mfaDelete: 'Disabled' }, 'mfaDeleteOff'],
    [{ status: 'Enabled', mfaDelete: null }, 'mfaDeleteOff'],
    [{ status: 'Suspended', mfaDelete: 'Enabled' }, 'versioningOff'],
    [{ status: 'Suspended', mfaDelete: 'Disabled' }, 'bothOff'],
    [{ status: null, mfaDelete: null }, 'bothOff'],
  ])('%j → %s', (state, verdict) => {
    expect(assessVersioning(state)).toBe(verdict);
  });

  it('describes the state in words', () => {
    expect(describeVersioning({ status: null, mfaDelete: null })).toBe('versioning never enabled, MFA delete never configured');
    expect(describeVersioning({ status: 'Suspended', mfaDelete: 'Disabled' })).toBe('versioning Suspended, MFA delete Disabled');
  });
});
