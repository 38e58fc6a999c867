import { type Service, defineService } from '@trailwarden/core';
import { type ActionCatalog, loadActionCatalog } from './catalog.js';
import { type IamModel, createIamModel } from './model.js';
import { TAMPER_SERVICES } from './tamper.js';

/**
 * The IAM services of plugin API v2 (`ctx.services.use(...)`): one action catalogue of the
 * tamper services and one IAM model per evaluation, shared by every check that judges IAM, and
 * dropped with the evaluation (no cache keyed by snapshot that outlives it).
 */
export const tamperCatalogService: Service<Promise<ActionCatalog>> = defineService('trailwarden/iam/tamper-catalog', () => loadActionCatalog(TAMPER_SERVICES));

/** The IAM model of the evaluation's snapshot, over the tamper services' catalogue. */
export const iamModelService: Service<Promise<IamModel>> = defineService('trailwarden/iam/model', async ({ snapshot }) =>
  createIamModel(snapshot, { catalog: await loadActionCatalog(TAMPER_SERVICES) }),
);
