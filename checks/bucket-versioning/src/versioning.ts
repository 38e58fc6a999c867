/** GetBucketVersioning as the snapshot holds it: `null` status means versioning was never enabled. */
export interface VersioningState {
  status: 'Enabled' | 'Suspended' | null;
  mfaDelete: 'Enabled' | 'Disabled' | null;
}

export type VersioningVerdict = 'protected' | 'versioningOff' | 'mfaDeleteOff' | 'bothOff';

/**
 * Versioning keeps every overwritten or deleted log file as an older version; MFA delete makes
 * permanently deleting a version (or suspending versioning) require the root user's MFA code.
 * Suspended versioning counts as off: new writes are no longer versioned.
 */
export function assessVersioning(v: VersioningState): VersioningVerdict {
  const versioning = v.status === 'Enabled';
  const mfa = v.mfaDelete === 'Enabled';
  if (versioning && mfa) return 'protected';
  if (!versioning && !mfa) return 'bothOff';
  return versioning ? 'mfaDeleteOff' : 'versioningOff';
}

export function describeVersioning(v: VersioningState): string {
  return `versioning ${v.status === null ? 'never enabled' : v.status}, MFA delete ${v.mfaDelete ?? 'never configured'}`;
}
