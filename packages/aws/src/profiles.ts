import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CollectorError } from './errors.js';

/** The shared config and credentials files, where the SDK looks for them (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE). */
export function sharedFiles(env: NodeJS.ProcessEnv = process.env): { config: string; credentials: string } {
  const home = env.HOME || homedir();
  return {
    config: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
  };
}

/** Profile names in an INI file: `[profile x]` (and `[default]`) in config, `[x]` in credentials. */
function profileNames(text: string, kind: 'config' | 'credentials'): string[] {
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*\[\s*([^\]]+?)\s*\]\s*(?:[#;].*)?$/.exec(line);
    if (!m?.[1]) continue;
    const header = m[1];
    if (kind === 'credentials') names.push(header);
    else if (header === 'default') names.push(header);
    else {
      const p = /^profile\s+(.+)$/.exec(header);
      if (p?.[1]) names.push(p[1].trim());
    }
  }
  return names;
}

/**
 * Fail before any call when `--profile` names a profile that neither file has: the SDK's own error
 * ("Could not resolve credentials using profile") does not say which profiles there are.
 */
export function assertProfileExists(profile: string, env: NodeJS.ProcessEnv = process.env): void {
  const files = sharedFiles(env);
  const known = new Set<string>();
  const read: string[] = [];
  for (const kind of ['config', 'credentials'] as const) {
    const path = files[kind];
    if (!existsSync(path)) continue;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue; // unreadable: let the SDK say why
    }
    read.push(path);
    for (const name of profileNames(text, kind)) known.add(name);
  }
  if (known.has(profile)) return;
  const where = read.length ? read.join(' or ') : `${files.config} or ${files.credentials} (neither exists)`;
  const have = [...known].sort();
  throw new CollectorError(
    'ProfileNotFound',
    `--profile: no profile "${profile}" in ${where}${have.length ? `; profiles there: ${have.join(', ')}` : ''}`,
  );
}
