/**
 * The deployment artefacts, checked without Docker or a cluster (CI machines have
 * neither): docker-compose.yml against the Compose specification's JSON schema, every
 * document under k8s/ against the Kubernetes schema of its apiVersion and kind, and the
 * invariants no schema can state. Every problem names its file, document, path and line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, get, loadYaml, yamlFilesUnder, type YamlDoc } from './manifest-files';
import {
  SERVICES,
  checkCompose,
  checkDockerfile,
  checkKubernetes,
  dockerfileTargets,
} from './manifest-invariants';
import { composeValidator, kubernetesValidator } from './manifest-schemas';

const read = (relative: string) => fs.readFileSync(path.join(ROOT, relative), 'utf8');

const yamlProblems: string[] = [];
const compose = loadYaml('docker-compose.yml', yamlProblems);
const k8sFiles = yamlFilesUnder('k8s');
const k8s = k8sFiles.flatMap((f) => loadYaml(f, yamlProblems));
const dockerfile = read('Dockerfile');
const dockerignore = read('.dockerignore');

const composeDoc = (): YamlDoc => {
  expect(compose).toHaveLength(1);
  return compose[0]!;
};

/** A copy of the documents with one of them changed, to see the checks catch it. */
function mutated(
  docs: readonly YamlDoc[],
  pick: (d: YamlDoc) => boolean,
  change: (data: Record<string, unknown>) => void,
): YamlDoc[] {
  let hit = false;
  const out = docs.map((d) => {
    if (hit || !pick(d)) return d;
    hit = true;
    const data = structuredClone(d.data) as Record<string, unknown>;
    change(data);
    return { ...d, data };
  });
  expect(hit).toBe(true);
  return out;
}
const isKind = (kind: string, name: string) => (d: YamlDoc) =>
  get(d.data, 'kind') === kind && get(d.data, 'metadata', 'name') === name;
const containerOf = (data: unknown) =>
  get(data, 'spec', 'template', 'spec', 'containers', 0) as Record<string, unknown>;

describe('deployment manifests', () => {
  it('parse as YAML, with no duplicate keys or other errors', () => {
    expect(yamlProblems).toEqual([]);
    expect(k8sFiles.length).toBeGreaterThan(0);
  });

  describe('docker-compose.yml', () => {
    it('is valid against the Compose specification schema', () => {
      expect(composeValidator()(composeDoc())).toEqual([]);
    });

    it('gives every service a healthcheck and healthy nats/postgres to start after', () => {
      expect(checkCompose(composeDoc(), dockerfileTargets(dockerfile))).toEqual([]);
    });
  });

  describe('k8s/', () => {
    it('validates every document against the Kubernetes schema of its apiVersion/kind', () => {
      const validate = kubernetesValidator();
      // The Kustomization is kustomize's, not the API server's; its own checks are below.
      const objects = k8s.filter((d) => get(d.data, 'kind') !== 'Kustomization');
      expect(objects.flatMap(validate)).toEqual([]);
    });

    it('holds the invariants no schema can state', () => {
      expect(checkKubernetes(k8s, k8sFiles)).toEqual([]);
    });
  });

  it('deploys the same seven services in compose and in Kubernetes', () => {
    const composeServices = Object.keys(get(composeDoc().data, 'services') as object);
    const deployments = k8s
      .filter((d) => get(d.data, 'kind') === 'Deployment')
      .map((d) => get(d.data, 'metadata', 'name'));
    for (const name of SERVICES) {
      expect({ name, inCompose: composeServices.includes(name) }).toEqual({
        name,
        inCompose: true,
      });
      expect({ name, inK8s: deployments.includes(name) }).toEqual({ name, inK8s: true });
    }
  });

  it('builds a non-root image with a node healthcheck and one target per service', () => {
    expect(checkDockerfile(dockerfile, dockerignore)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  const targets = dockerfileTargets(dockerfile);

  it('name the file, document and path of a missing readiness probe', () => {
    const docs = mutated(k8s, isKind('Deployment', 'strategy'), (data) => {
      delete containerOf(data).readinessProbe;
    });
    expect(checkKubernetes(docs, k8sFiles)).toContainEqual(
      expect.stringMatching(
        /^k8s\/strategy\.yaml document 1 \(Deployment\/strategy\) \/spec\/template\/spec\/containers\/0\/readinessProbe \(line \d+\): missing readinessProbe$/,
      ),
    );
  });

  it('catch a HorizontalPodAutoscaler aimed at no Deployment', () => {
    const docs = mutated(k8s, isKind('HorizontalPodAutoscaler', 'risk-monitor'), (data) => {
      (get(data, 'spec', 'scaleTargetRef') as Record<string, unknown>).name = 'risk-monitr';
    });
    expect(checkKubernetes(docs, k8sFiles)).toContainEqual(
      expect.stringContaining(
        'k8s/risk-monitor.yaml document 2 (HorizontalPodAutoscaler/risk-monitor) /spec/scaleTargetRef/name',
      ),
    );
  });

  it('catch a reference to an undefined Secret, and venue keys given to another stage', () => {
    const docs = mutated(k8s, isKind('Deployment', 'strategy'), (data) => {
      containerOf(data).envFrom = [
        { configMapRef: { name: 'tightloop-config' } },
        { secretRef: { name: 'tightloop-venue-credentials' } },
        { secretRef: { name: 'no-such-secret' } },
      ];
    });
    const problems = checkKubernetes(docs, k8sFiles);
    expect(problems).toContainEqual(
      expect.stringMatching(
        /containers\/0\/envFrom\/2\/secretRef\/name .*no Secret "no-such-secret"/,
      ),
    );
    expect(problems).toContainEqual(
      expect.stringContaining('only execution and position-monitor may see venue credentials'),
    );
  });

  it('catch a real-looking Secret value without printing it', () => {
    const docs = mutated(k8s, isKind('Secret', 'tightloop-venue-credentials'), (data) => {
      (data.stringData as Record<string, unknown>).CEX__OKX_SECRET = 'sk-live-0123456789';
    });
    const problems = checkKubernetes(docs, k8sFiles);
    expect(problems).toContainEqual(expect.stringContaining('/stringData/CEX__OKX_SECRET'));
    expect(problems.join('\n')).not.toContain('sk-live-0123456789');
  });

  it('report a schema violation at its path and line', () => {
    const docs = mutated(k8s, isKind('Deployment', 'execution'), (data) => {
      (get(containerOf(data), 'ports', 0) as Record<string, unknown>).containerPort = 'http';
    });
    const problems = docs.filter(isKind('Deployment', 'execution')).flatMap(kubernetesValidator());
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^k8s\/execution\.yaml document 1 \(Deployment\/execution\) \/spec\/template\/spec\/containers\/0\/ports\/0\/containerPort \(line \d+\): Kubernetes apps\/v1 Deployment: must be integer$/,
      ),
    );
  });

  it('catch a compose service without a healthcheck or a healthy dependency', () => {
    const [doc] = mutated(
      compose,
      () => true,
      (data) => {
        const strategy = get(data, 'services', 'strategy') as Record<string, unknown>;
        delete strategy.healthcheck;
        strategy.depends_on = { nats: { condition: 'service_started' } };
      },
    );
    const problems = checkCompose(doc!, targets);
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^docker-compose\.yml document 1 \(compose\) \/services\/strategy\/healthcheck \(line \d+\): /,
      ),
    );
    expect(problems).toContainEqual(expect.stringContaining('/services/strategy/depends_on/nats'));
    expect(problems).toContainEqual(
      expect.stringContaining('/services/strategy/depends_on/postgres'),
    );
  });

  it('catch a run controller that would not run its backtests across the stages', () => {
    const [doc] = mutated(
      compose,
      () => true,
      (data) => {
        const controller = get(data, 'services', 'run-controller') as Record<string, unknown>;
        delete (controller.environment as Record<string, unknown>).STAGES_TRANSPORT;
        delete (controller.depends_on as Record<string, unknown>).strategy;
      },
    );
    const problems = checkCompose(doc!, targets);
    expect(problems).toContainEqual(
      expect.stringMatching(
        /\/services\/run-controller\/environment .*STAGES_TRANSPORT must be nats/,
      ),
    );
    expect(problems).toContainEqual(
      expect.stringContaining('/services/run-controller/depends_on/strategy'),
    );
  });

  it('reject a Compose `version:` key (the schema only marks it deprecated)', () => {
    const [doc] = mutated(
      compose,
      () => true,
      (data) => {
        data.version = '3.8';
      },
    );
    expect(checkCompose(doc!, targets)).toContainEqual(expect.stringContaining('/version'));
  });
});
