import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertProfileExists } from './profiles.js';

function files(config?: string, credentials?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'tw-profiles-'));
  const env: NodeJS.ProcessEnv = { HOME: dir, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
  if (config !== undefined) writeFileSync(join(dir, 'config'), config);
  if (credentials !== undefined) writeFileSync(join(dir, 'credentials'), credentials);
  return env;
}

describe('--profile', () => {
  const env = files('[default]\nregion = us-east-1\n[profile audit]\nsso_session = corp\n[sso-session corp]\n', '[legacy]\naws_access_key_id = x\n');

  it('accepts a profile from either file', () => {
    expect(() => assertProfileExists('audit', env)).not.toThrow();
    expect(() => assertProfileExists('legacy', env)).not.toThrow();
    expect(() => assertProfileExists('default', env)).not.toThrow();
  });

  it('a missing one is named, with the profiles that exist (not sso-session sections)', () => {
    expect(() => assertProfileExists('audti', env)).toThrow(/--profile: no profile "audti" in .*config or .*credentials; profiles there: audit, default, legacy$/);
  });

  it('says so when there are no files at all', () => {
    expect(() => assertProfileExists('audit', files())).toThrow(/no profile "audit" in .*config or .*credentials \(neither exists\)$/);
  });
});
