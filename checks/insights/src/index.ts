import { createCheck } from '@trailwarden/core';

export interface InsightsOptions {
  /** Insight types every trail must have. */
  requiredInsightTypes: string[];
}

const INSIGHT_TYPES = ['ApiCallRateInsight', 'ApiErrorRateInsight'];

const messages = {
  enabled: 'Trail {{name}} has CloudTrail Insights on for {{types}}.',
  missing:
    'Trail {{name}} lacks CloudTrail Insights for {{missing}}, so unusual API call or error rates go unnoticed. Fix: aws cloudtrail put-insight-selectors --trail-name {{arn}} --insight-selectors {{selectors}}',
} as const;

/**
 * trail-insights: CloudTrail Insights selectors are on (ApiCallRateInsight and ApiErrorRateInsight
 * by default). Judged once per trail, in its owner account, from GetInsightSelectors read by ARN.
 */
export default createCheck({
  id: 'trail-insights',
  meta: {
    title: 'CloudTrail Insights is on for trails',
    description:
      'Every trail should have CloudTrail Insights enabled for unusual API call rates and API error rates. Insights flags bursts of activity (mass deletions, credential stuffing, runaway automation) that individual events do not reveal. Insights events are charged separately.',
    severity: 'low',
    resource: 'AWS::CloudTrail::Trail',
    remediation: {
      text: 'Turn on Insights for API call rate and API error rate on the trail.',
      cli: 'aws cloudtrail put-insight-selectors --trail-name <trail-arn> --insight-selectors \'[{"InsightType":"ApiCallRateInsight"},{"InsightType":"ApiErrorRateInsight"}]\'',
      terraform:
        'resource "aws_cloudtrail" "main" {\n  # ...\n  insight_selector {\n    insight_type = "ApiCallRateInsight"\n  }\n  insight_selector {\n    insight_type = "ApiErrorRateInsight"\n  }\n}',
    },
    docs: 'README.md',
    messages,
  },
  options: {
    schema: {
      type: 'object',
      properties: {
        requiredInsightTypes: {
          type: 'array',
          items: { enum: INSIGHT_TYPES },
          uniqueItems: true,
          minItems: 1,
          description: 'Insight types every trail must have.',
        },
      },
      additionalProperties: false,
    },
    defaults: { requiredInsightTypes: INSIGHT_TYPES },
  },
  requires: ['trails', 'insightSelectors'],
  evaluate(ctx) {
    const required = [...ctx.options.requiredInsightTypes].sort();
    ctx.forEachTrail((view) => {
      const { trail, resource } = view;
      // `[]` when Insights is off (InsightNotEnabledException, or HasInsightSelectors false).
      const selectors = view.get('insightSelectors');
      if (selectors.error) {
        ctx.report({ status: 'ERROR', resource, error: selectors.error });
        return;
      }
      const on = [...new Set(selectors.value.map((s) => s.insightType))].sort();
      const missing = required.filter((t) => !on.includes(t));
      const evidence = { insightTypes: on, requiredInsightTypes: required };
      if (missing.length === 0) {
        ctx.report({ status: 'PASS', resource, messageId: 'enabled', data: { name: trail.name, types: on.join(', ') }, evidence });
        return;
      }
      const wanted = [...new Set([...on, ...required])].sort();
      ctx.report({ status: 'FAIL', resource, messageId: 'missing', data: {
          name: trail.name,
          arn: trail.arn,
          missing: missing.join(' and '),
          selectors: `'${JSON.stringify(wanted.map((t) => ({ InsightType: t })))}'`,
        }, evidence });
    });
  },
});
