import type { Snapshot } from '@trailwarden/core';
import { evaluate, evaluateScps, mayAllow, mayReach } from './decide.js';
import type { IamModel, IamModelOptions } from './model-types.js';
import { compilePolicy } from './policy.js';
import { createPolicyIndex } from './policy-index.js';

export {
  type AccessRequest,
  type Decision,
  type DecisionKind,
  type IamModel,
  type IamModelOptions,
  NOT_IN_ORGANIZATION,
  type OrgPolicyLevel,
  type OrgPolicyProblem,
  type ResourceTarget,
} from './model-types.js';

/**
 * The IAM model of a snapshot: a policy index (policy-index.ts: compiled policies, principals and
 * the tables that remember work done once) and the decision over it (decide.ts: AWS's evaluation
 * logic, no state of its own).
 */
export function createIamModel(snapshot: Snapshot, options: IamModelOptions): IamModel {
  const ix = createPolicyIndex(snapshot, options);
  return {
    partition: ix.partition,
    organizationId: ix.org?.id,
    managementAccountId: ix.org?.managementAccountId,
    organization: snapshot.organization,
    catalog: options.catalog,
    orgPolicyProblems: ix.problems,
    principals: ix.principals,
    principal: ix.principal,
    compileResourcePolicy(document, source) {
      if (document === null || document === undefined) return { policy: null };
      return compilePolicy(document, { ...source, type: 'resource' });
    },
    orgPolicyLevels: ix.orgPolicyLevels,
    scpApplies: ix.scpApplies,
    evaluate: (req) => evaluate(ix, req),
    evaluateScps: (req) => evaluateScps(ix, req),
    mayReach: (p, r, action) => mayReach(ix, p, r, action),
    mayAllow: (p, r, action) => mayAllow(ix, p, r, action),
    probeRole: ix.probeRole,
  };
}
