import type { Service, ServiceInput, Services } from '../plugin/api.js';
import type { Snapshot } from '../model/snapshot.js';
import { createSelectorEvaluator } from '../selectors/evaluator.js';

/**
 * The per-evaluation registry of shared services: each service is created on first use and kept
 * until the evaluation ends (one registry per evaluation, and one per worker thread), so no check
 * and no package needs a module-level cache keyed by snapshot.
 */
export function createServices(snapshot: Snapshot): Services {
  const selectors = createSelectorEvaluator(snapshot.partition);
  const input: ServiceInput = { snapshot, partition: snapshot.partition, selectors };
  const made = new Map<Service<unknown>, unknown>();
  return {
    selectors,
    use<T>(service: Service<T>): T {
      if (made.has(service)) return made.get(service) as T;
      if (!service || typeof service.create !== 'function') throw new TypeError('services.use: pass a service declared with defineService(id, create)');
      const value = service.create(input);
      made.set(service, value);
      return value;
    },
  };
}
