import type { PluginDefinition } from './api.js';

/**
 * The items a plugin module's default export holds. Accepted shapes: a check, a reporter, an array
 * of them, or `{ checks, reporters }`. Shared by the loader (which validates them) and the check
 * pool's workers (which import an already validated plugin again).
 */
export function pluginExports(mod: unknown): unknown[] {
  const exported = (mod as { default?: unknown })?.default ?? mod;
  if (Array.isArray(exported)) return exported;
  if (exported && typeof exported === 'object' && ('checks' in exported || 'reporters' in exported) && !('kind' in exported)) {
    return [...((exported as PluginDefinition).checks ?? []), ...((exported as PluginDefinition).reporters ?? [])];
  }
  return [exported];
}
