import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './helpers.js';

/** The recipes in deploy/, each validated by its engine's own schema or validator. */
const DEPLOY = join(ROOT, 'deploy');
const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (definition: unknown) => { isValid: boolean; errors: { message?: string; 'Error code'?: string }[] };

const KINDS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ServiceAccount': ServiceAccount,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/ConfigMap': ConfigMap,
  'batch/v1/Job': Job,
  'batch/v1/CronJob': CronJob,
};

function kubernetesObjects(file: string): { apiVersion: string; kind: string; spec?: Record<string, unknown>; data?: Record<string, string> }[] {
  return parseAllDocuments(readFileSync(join(DEPLOY, 'kubernetes', file), 'utf8')).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS();
  });
}

describe('deploy/kubernetes', () => {
  it('every object validates against the Kubernetes OpenAPI schema (kubernetes-models)', () => {
    for (const file of ['trailwarden.yaml', 'cronjob.yaml']) {
      for (const o of kubernetesObjects(file)) {
        const Model = KINDS[`${o.apiVersion}/${o.kind}`];
        expect(Model, `${file}: ${o.apiVersion}/${o.kind}`).toBeDefined();
        expect(() => new Model!(o as never).validate(), `${file}: ${o.kind}`).not.toThrow();
      }
    }
  });

  it('the validator does catch a broken manifest (so the test above can fail)', () => {
    const [job] = kubernetesObjects('trailwarden.yaml').filter((o) => o.kind === 'Job');
    const broken = structuredClone(job!) as { spec: { completions: unknown } };
    broken.spec.completions = 'four';
    expect(() => new Job(broken as never).validate()).toThrow();
  });

  it('the Indexed Job and the CronJob give the shard count that matches their completions, and pod 0 merges', () => {
    const objects = [...kubernetesObjects('trailwarden.yaml'), ...kubernetesObjects('cronjob.yaml')];
    const specs = objects.flatMap((o) => (o.kind === 'Job' ? [o.spec] : o.kind === 'CronJob' ? [(o.spec as { jobTemplate: { spec: unknown } }).jobTemplate.spec] : [])) as {
      completionMode: string;
      completions: number;
      template: { spec: { containers: { env: { name: string; value?: string }[] }[] } };
    }[];
    expect(specs).toHaveLength(2);
    for (const spec of specs) {
      expect(spec.completionMode).toBe('Indexed');
      const count = spec.template.spec.containers[0]!.env.find((e) => e.name === 'TRAILWARDEN_SHARD_COUNT')?.value;
      expect(Number(count)).toBe(spec.completions);
    }
    const script = objects.find((o) => o.kind === 'ConfigMap')!.data!['shard.sh']!;
    expect(script).toMatch(/trailwarden collect --shard auto/);
    expect(script).toMatch(/trailwarden merge "\$run"\/part-\*\.json/);
  });
});

describe('deploy/step-functions', () => {
  const definition = JSON.parse(readFileSync(join(DEPLOY, 'step-functions/state-machine.asl.json'), 'utf8'));

  it('is valid Amazon States Language (asl-validator)', () => {
    const { isValid, errors } = aslValidator(structuredClone(definition));
    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('the validator does catch a broken machine (a Next to no state)', () => {
    const broken = structuredClone(definition);
    broken.States['Collect shards'].Next = 'Nowhere';
    expect(aslValidator(broken).isValid).toBe(false);
  });

  it('fans out with a Distributed Map of ECS Fargate tasks, each given its shard, then merges', () => {
    const map = definition.States['Collect shards'];
    expect(map.ItemProcessor.ProcessorConfig.Mode).toBe('DISTRIBUTED');
    const task = map.ItemProcessor.States['Collect one shard'];
    expect(task.Resource).toBe('arn:aws:states:::ecs:runTask.sync');
    const env = task.Parameters.Overrides.ContainerOverrides[0].Environment.map((e: { Name: string }) => e.Name);
    expect(env).toEqual(expect.arrayContaining(['TRAILWARDEN_SHARD_INDEX', 'TRAILWARDEN_SHARD_COUNT']));
    expect(definition.States['Merge and evaluate'].Parameters.Overrides.ContainerOverrides[0].Command[2]).toMatch(/trailwarden merge parts\/part-\*\.json/);
  });
});

describe('deploy/github-actions', () => {
  const parse = (content: string) => parseWorkflow({ name: 'trailwarden-sharded.yml', content }, new NoOperationTraceWriter());
  const content = readFileSync(join(DEPLOY, 'github-actions/trailwarden-sharded.yml'), 'utf8');

  it("is a valid workflow (GitHub's own parser and schema, @actions/workflow-parser)", () => {
    const result = parse(content);
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    expect(result.value).toBeDefined();
  });

  it('the parser does catch a broken workflow (so the test above can fail)', () => {
    const broken = content.replace('runs-on: ubuntu-latest', 'runs-onn: ubuntu-latest');
    expect(parse(broken).context.errors.getErrors().length).toBeGreaterThan(0);
  });
});
