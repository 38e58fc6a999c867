/**
 * @trailwarden/iam — AWS IAM policy evaluation: can principal P perform action A on resource R,
 * and which statements decide it? Follows AWS's documented evaluation logic (identity policies,
 * permission boundaries, SCPs, RCPs, resource policies, KMS key policies); conditions it cannot
 * decide statically make the answer `conditional`, never a plain yes or no.
 */
export { type ActionCatalog, CatalogError, createActionCatalog, loadActionCatalog } from './catalog.js';
export { type Tri, type UndecidedClause, evaluateCondition, evaluateConditions, substituteVariables } from './conditions.js';
export { ABSENT_FOR_DIRECT_CALLS, type ContextValue, RequestContext } from './context.js';
export type { Gate, UndecidedCondition } from './gates.js';
export { ipInCidr } from './ip.js';
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
  createIamModel,
} from './model.js';
export {
  BASE_OPERATORS,
  type BaseOperator,
  type CompileResult,
  type CompiledCondition,
  type CompiledPolicy,
  type CompiledStatement,
  type PolicySource,
  type PolicyType,
  type PrincipalSpec,
  type StatementRef,
  compilePolicy,
  describeStatement,
  parseOperator,
  statementCoversAction,
} from './policy.js';
export { type PolicyProblem, type Principal, type PrincipalKind, buildAccountPrincipals } from './principals.js';
export { arnMatches, matchesWildcard, wildcardMatcher } from './wildcard.js';
export { BUCKET_TAMPER_ACTIONS, EVENT_DATA_STORE_TAMPER_ACTIONS, KEY_TAMPER_ACTIONS, LOCKED_OBJECT_DELETIONS, TAMPER_SERVICES, TRAIL_TAMPER_ACTIONS } from './tamper.js';
export { iamModelService, tamperCatalogService } from './services.js';
