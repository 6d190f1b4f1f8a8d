import {
  asArray,
  asRecord,
  asString,
  get,
  problemAt,
  type Segment,
  type YamlDoc,
} from './manifest-files';

/** The seven Tightloop services; the names are fixed across compose, k8s and the CLI. */
export const SERVICES = [
  'run-controller',
  'position-monitor',
  'exposure-monitor',
  'risk-monitor',
  'pnl-monitor',
  'strategy',
  'execution',
] as const;
/** The loop's stages (all but the run-controller). */
export const STAGES = SERVICES.filter((s) => s !== 'run-controller');
/** Stateless stages, scaled by a HorizontalPodAutoscaler. */
export const AUTOSCALED = ['exposure-monitor', 'risk-monitor', 'strategy'] as const;
/** Stages that run two replicas sharing runs through NATS queue groups. */
export const QUEUE_GROUP_PAIRS = ['position-monitor', 'pnl-monitor', 'execution'] as const;
/** The only services that talk to venues, and so the only ones given venue credentials. */
export const VENUE_CLIENTS = ['execution', 'position-monitor'] as const;
export const VENUE_SECRET_KEYS = [
  'CEX__BINANCE_API_KEY',
  'CEX__BINANCE_SECRET',
  'CEX__BYBIT_API_KEY',
  'CEX__BYBIT_SECRET',
  'CEX__OKX_API_KEY',
  'CEX__OKX_SECRET',
  'CEX__OKX_PASSPHRASE',
  'CHAIN__RPC_URL',
  'CHAIN__PRIVATE_KEY',
  'TIGHTLOOP_ENVIRONMENT',
] as const;
/** Levels both loggers accept (Nest's names; the JSON logger maps `log` and `verbose`). */
const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'];

/** Each service's own Postgres schema. */
export const dbSchemaOf = (service: string) => service.replace(/-/g, '_');

const includes = (list: readonly string[], value: string | undefined) =>
  value !== undefined && list.includes(value);

// === docker-compose.yml ===================================================================

/** `environment:` as a map, whichever of its two forms is used. */
function composeEnv(service: unknown): Map<string, string> {
  const env = get(service, 'environment');
  const out = new Map<string, string>();
  if (Array.isArray(env)) {
    for (const item of env) {
      const [k, ...v] = String(item).split('=');
      if (k !== undefined) out.set(k, v.join('='));
    }
  } else {
    for (const [k, v] of Object.entries(asRecord(env) ?? {}))
      out.set(k, v === null ? '' : String(v));
  }
  return out;
}

interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
}

/** Short (`src:dst[:mode]`, where src may hold `${VAR:-default}`) or long volume syntax. */
function composeMounts(service: unknown): Mount[] {
  return asArray(get(service, 'volumes')).map((v) => {
    if (typeof v === 'string') {
      const parts = v.split(':');
      const last = parts[parts.length - 1] ?? '';
      const hasMode = parts.length > 2 && /^(ro|rw|z|Z|cached|delegated|consistent|,)+$/.test(last);
      const mode = hasMode ? last : '';
      const target = (hasMode ? parts[parts.length - 2] : last) ?? '';
      const source = parts.slice(0, parts.length - (hasMode ? 2 : 1)).join(':');
      return { source, target, readOnly: mode.split(',').includes('ro') };
    }
    return {
      source: asString(get(v, 'source')) ?? '',
      target: asString(get(v, 'target')) ?? '',
      readOnly: get(v, 'read_only') === true,
    };
  });
}

const isNamedVolume = (source: string) => /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(source);

function healthTest(service: unknown): string {
  const test = get(service, 'healthcheck', 'test');
  return Array.isArray(test) ? test.map(String).join(' ') : String(test ?? '');
}

/** What the Compose schema cannot say about docker-compose.yml. */
export function checkCompose(d: YamlDoc, dockerfileTargets: readonly string[]): string[] {
  const problems: string[] = [];
  const at = (path: Segment[], message: string) => problems.push(problemAt(d, path, message));
  const top = asRecord(d.data) ?? {};
  const services = asRecord(top.services) ?? {};
  const volumes = asRecord(top.volumes) ?? {};

  if ('version' in top) at(['version'], 'the Compose spec has no `version:`; remove it');

  for (const name of SERVICES) {
    if (!(name in services)) at(['services'], `service "${name}" is missing`);
  }
  for (const infra of ['nats', 'postgres', 'jaeger']) {
    if (!(infra in services)) at(['services'], `service "${infra}" is missing`);
  }

  for (const [name, service] of Object.entries(services)) {
    const base: Segment[] = ['services', name];
    const oneShot = Array.isArray(get(service, 'profiles'));
    // A long-running service must say when it is healthy; one-shot jobs behind a profile
    // (they exit when done) have nothing to report.
    if (!oneShot) {
      const hc = get(service, 'healthcheck');
      if (hc === undefined || get(hc, 'disable') === true || healthTest(service) === '') {
        at([...base, 'healthcheck'], 'a long-running service needs a healthcheck');
      }
    }
    for (const dep of Object.keys(asRecord(get(service, 'depends_on')) ?? {})) {
      if (!(dep in services)) at([...base, 'depends_on', dep], `no service "${dep}"`);
    }
    for (const [i, m] of composeMounts(service).entries()) {
      if (isNamedVolume(m.source) && !(m.source in volumes)) {
        at([...base, 'volumes', i], `named volume "${m.source}" is not declared under volumes:`);
      }
    }
  }

  for (const name of SERVICES) {
    const service = services[name];
    if (service === undefined) continue;
    const base: Segment[] = ['services', name];
    for (const infra of ['nats', 'postgres']) {
      if (get(service, 'depends_on', infra, 'condition') !== 'service_healthy') {
        at(
          [...base, 'depends_on', infra],
          `must depend on ${infra} with condition: service_healthy`,
        );
      }
    }
    if (!healthTest(service).includes('/health/live')) {
      at([...base, 'healthcheck', 'test'], 'the healthcheck must probe /health/live');
    }
    if (/\bcurl\b|\bwget\b/.test(healthTest(service))) {
      at([...base, 'healthcheck', 'test'], 'the image has no curl or wget; use node');
    }
    const command = asArray(get(service, 'command')).map(String);
    if (command.join(' ') !== `serve ${name}`) {
      at([...base, 'command'], `must be ['serve', '${name}']`);
    }
    const target = asString(get(service, 'build', 'target'));
    if (target !== undefined && !dockerfileTargets.includes(target)) {
      at([...base, 'build', 'target'], `the Dockerfile has no target "${target}"`);
    }
    const env = composeEnv(service);
    const envPath = [...base, 'environment'];
    const expectEnv = (key: string, ok: (v: string) => boolean, what: string) => {
      const value = env.get(key);
      if (value === undefined) at(envPath, `${key} is not set`);
      else if (!ok(value)) at([...envPath, key], `${key} must be ${what}`);
    };
    expectEnv('DB_SCHEMA', (v) => v === dbSchemaOf(name), dbSchemaOf(name));
    expectEnv('OTEL_SERVICE_NAME', (v) => v === name, name);
    expectEnv('NATS_URL', (v) => v.startsWith('nats://nats:'), 'a nats:// URL of the nats service');
    expectEnv(
      'DATABASE_URL',
      (v) => /^postgres(ql)?:\/\/[^@]+@postgres:/.test(v),
      'a URL of postgres',
    );
    expectEnv(
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      (v) => v.startsWith('http://jaeger:4318'),
      'http://jaeger:4318',
    );
    expectEnv(
      'TIGHTLOOP_STARTUP_MODE',
      (v) => v === 'backtest' || v === 'live',
      'backtest or live',
    );
    expectEnv('TIGHTLOOP_DATA_DIR', (v) => v === '/data', '/data');
    expectEnv(
      'LOG_LEVEL',
      (v) => v.startsWith('${') || LOG_LEVELS.includes(v),
      LOG_LEVELS.join('|'),
    );
    const mounts = composeMounts(service);
    const data = mounts.find((m) => m.target === '/data');
    if (data === undefined) at([...base, 'volumes'], 'the market data must be mounted at /data');
    else if (!data.readOnly)
      at([...base, 'volumes'], 'the market data mount must be read-only (:ro)');
    if (name === 'run-controller') {
      const resultsDir = env.get('TIGHTLOOP_RESULTS_DIR');
      const results = mounts.find((m) => m.target === resultsDir);
      if (resultsDir === undefined) at(envPath, 'TIGHTLOOP_RESULTS_DIR is not set');
      else if (results === undefined || !isNamedVolume(results.source)) {
        at([...base, 'volumes'], `a named volume must be mounted at ${resultsDir}`);
      }
      const ports = asArray(get(service, 'ports')).map(String);
      if (!ports.some((p) => /^(.*:)?8080:8080$/.test(p))) {
        at([...base, 'ports'], 'the results API must be published on 8080');
      }
      // Compose runs backtests across the stage services: over NATS, once they are up.
      if (env.get('STAGES_TRANSPORT') !== 'nats') {
        at(envPath, 'STAGES_TRANSPORT must be nats: its runs go across the stage services');
      }
      for (const stage of STAGES) {
        if (get(service, 'depends_on', stage, 'condition') !== 'service_healthy') {
          at([...base, 'depends_on', stage], `must depend on ${stage} with service_healthy`);
        }
      }
    }
  }

  const nats = services.nats;
  if (nats !== undefined) {
    const command = asArray(get(nats, 'command')).map(String);
    if (!command.some((c) => c === '-js' || c === '--jetstream')) {
      at(['services', 'nats', 'command'], 'NATS must run with JetStream (-js / --jetstream)');
    }
    if (!/8222\/healthz/.test(healthTest(nats))) {
      at(['services', 'nats', 'healthcheck', 'test'], 'probe the monitoring port: :8222/healthz');
    }
    if (!composeMounts(nats).some((m) => isNamedVolume(m.source))) {
      at(['services', 'nats', 'volumes'], 'the JetStream store needs a volume');
    }
  }
  if (services.postgres !== undefined && !healthTest(services.postgres).includes('pg_isready')) {
    at(['services', 'postgres', 'healthcheck', 'test'], 'use pg_isready');
  }
  return problems;
}

// === k8s/ =================================================================================

interface PodTemplate {
  d: YamlDoc;
  /** Path of the pod spec inside the document. */
  at: Segment[];
  spec: Record<string, unknown>;
  labels: Record<string, unknown>;
  owner: string;
}

const kindOf = (d: YamlDoc) => asString(get(d.data, 'kind'));
const nameOf = (d: YamlDoc) => asString(get(d.data, 'metadata', 'name'));

function matches(selector: unknown, labels: Record<string, unknown>): boolean {
  const wanted = Object.entries(asRecord(selector) ?? {});
  return wanted.length > 0 && wanted.every(([k, v]) => labels[k] === v);
}

function envValue(container: unknown, key: string): string | undefined {
  const entry = asArray(get(container, 'env')).find((e) => get(e, 'name') === key);
  return entry === undefined ? undefined : asString(get(entry, 'value'));
}

function decodedSecretValues(d: YamlDoc): [string, string, Segment[]][] {
  const out: [string, string, Segment[]][] = [];
  for (const [k, v] of Object.entries(asRecord(get(d.data, 'stringData')) ?? {})) {
    out.push([k, String(v), ['stringData', k]]);
  }
  for (const [k, v] of Object.entries(asRecord(get(d.data, 'data')) ?? {})) {
    out.push([k, Buffer.from(String(v), 'base64').toString('utf8'), ['data', k]]);
  }
  return out;
}

/** What the Kubernetes schemas cannot say about k8s/. `files`: every YAML file there. */
export function checkKubernetes(docs: readonly YamlDoc[], files: readonly string[]): string[] {
  const problems: string[] = [];
  const at = (d: YamlDoc, path: Segment[], message: string) =>
    problems.push(problemAt(d, path, message));

  const kustomizations = docs.filter((d) => kindOf(d) === 'Kustomization');
  const objects = docs.filter((d) => kindOf(d) !== 'Kustomization');
  const byKind = (kind: string) => objects.filter((d) => kindOf(d) === kind);
  const find = (kind: string, name: string | undefined) =>
    objects.find((d) => kindOf(d) === kind && nameOf(d) === name);

  // --- identity and namespace -----------------------------------------------------------
  const seen = new Map<string, YamlDoc>();
  for (const d of objects) {
    const key = `${kindOf(d)}/${nameOf(d)}`;
    if (nameOf(d) === undefined) at(d, ['metadata', 'name'], 'every object needs a name');
    const first = seen.get(key);
    if (first) at(d, ['metadata', 'name'], `${key} is also defined in ${first.file}`);
    else seen.set(key, d);
    if (kindOf(d) === 'Namespace') continue;
    if (get(d.data, 'metadata', 'namespace') !== 'tightloop') {
      at(
        d,
        ['metadata', 'namespace'],
        'namespace must be tightloop (also for plain kubectl apply -f)',
      );
    }
  }
  if (!find('Namespace', 'tightloop')) problems.push('k8s/: no Namespace "tightloop"');

  // --- kustomization: every manifest listed, every listed file present ------------------
  if (kustomizations.length !== 1) {
    problems.push(`k8s/: expected one kustomization.yaml, found ${kustomizations.length}`);
  }
  for (const k of kustomizations) {
    const dir = k.file.slice(0, k.file.lastIndexOf('/'));
    const listed = asArray(get(k.data, 'resources')).map(String);
    listed.forEach((r, i) => {
      if (!files.includes(`${dir}/${r}`)) at(k, ['resources', i], `no file ${dir}/${r}`);
    });
    for (const f of files) {
      if (f !== k.file && !listed.includes(f.slice(dir.length + 1))) {
        at(k, ['resources'], `${f} is not listed, so kubectl apply -k would skip it`);
      }
    }
    if (get(k.data, 'namespace') !== 'tightloop') at(k, ['namespace'], 'must be tightloop');
  }

  // --- pod templates: Deployments and StatefulSets --------------------------------------
  const templates: PodTemplate[] = [];
  for (const d of [...byKind('Deployment'), ...byKind('StatefulSet')]) {
    const spec = asRecord(get(d.data, 'spec', 'template', 'spec'));
    if (!spec) {
      at(d, ['spec', 'template', 'spec'], 'no pod template');
      continue;
    }
    const labels = asRecord(get(d.data, 'spec', 'template', 'metadata', 'labels')) ?? {};
    templates.push({ d, at: ['spec', 'template', 'spec'], spec, labels, owner: nameOf(d) ?? '' });
    if (!matches(get(d.data, 'spec', 'selector', 'matchLabels'), labels)) {
      at(
        d,
        ['spec', 'selector', 'matchLabels'],
        "the selector does not match the template's labels",
      );
    }
  }

  const configMaps = new Map(byKind('ConfigMap').map((d) => [nameOf(d), d]));
  const secrets = new Map(byKind('Secret').map((d) => [nameOf(d), d]));
  const keysOf = (d: YamlDoc) => [
    ...Object.keys(asRecord(get(d.data, 'data')) ?? {}),
    ...Object.keys(asRecord(get(d.data, 'stringData')) ?? {}),
  ];
  const venueSecretUsers = new Set<string>();

  for (const t of templates) {
    const { d } = t;
    const claimTemplates = asArray(get(d.data, 'spec', 'volumeClaimTemplates')).map((c) =>
      asString(get(c, 'metadata', 'name')),
    );
    const volumes = asArray(t.spec.volumes);
    const volumeNames = [...volumes.map((v) => asString(get(v, 'name'))), ...claimTemplates];

    // Restricted Pod Security (the Namespace enforces it: a pod breaking it is refused).
    const podSc = asRecord(t.spec.securityContext) ?? {};
    const containers = [...asArray(t.spec.initContainers), ...asArray(t.spec.containers)];
    const containerKey = (i: number) =>
      i < asArray(t.spec.initContainers).length ? 'initContainers' : 'containers';
    const containerIndex = (i: number) =>
      i < asArray(t.spec.initContainers).length ? i : i - asArray(t.spec.initContainers).length;

    containers.forEach((c, i) => {
      const cPath: Segment[] = [...t.at, containerKey(i), containerIndex(i)];
      const sc = asRecord(get(c, 'securityContext')) ?? {};
      if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) {
        at(
          d,
          [...cPath, 'securityContext', 'runAsNonRoot'],
          'runAsNonRoot: true (pod or container)',
        );
      }
      if (sc.allowPrivilegeEscalation !== false) {
        at(d, [...cPath, 'securityContext', 'allowPrivilegeEscalation'], 'must be false');
      }
      if (sc.readOnlyRootFilesystem !== true) {
        at(d, [...cPath, 'securityContext', 'readOnlyRootFilesystem'], 'must be true');
      }
      if (!asArray(get(sc, 'capabilities', 'drop')).includes('ALL')) {
        at(d, [...cPath, 'securityContext', 'capabilities', 'drop'], 'must drop ALL');
      }
      const seccomp = get(sc, 'seccompProfile', 'type') ?? get(podSc, 'seccompProfile', 'type');
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
        at(d, [...t.at, 'securityContext', 'seccompProfile'], 'seccompProfile RuntimeDefault');
      }
      // Resources: requests and limits for both CPU and memory.
      for (const kind of ['requests', 'limits']) {
        for (const res of ['cpu', 'memory']) {
          if (get(c, 'resources', kind, res) === undefined) {
            at(d, [...cPath, 'resources', kind, res], `resources.${kind}.${res} is not set`);
          }
        }
      }
      // Probes, for the long-running containers.
      if (containerKey(i) === 'containers') {
        for (const probe of ['livenessProbe', 'readinessProbe']) {
          if (get(c, probe) === undefined) at(d, [...cPath, probe], `missing ${probe}`);
          const port = get(c, probe, 'httpGet', 'port');
          const ports = asArray(get(c, 'ports'));
          if (typeof port === 'string' && !ports.some((p) => get(p, 'name') === port)) {
            at(d, [...cPath, probe, 'httpGet', 'port'], `the container has no port named ${port}`);
          }
        }
      }
      // References: ConfigMaps, Secrets and their keys.
      asArray(get(c, 'envFrom')).forEach((src, j) => {
        for (const [refKind, defined] of [
          ['configMapRef', configMaps],
          ['secretRef', secrets],
        ] as const) {
          const ref = get(src, refKind);
          if (ref === undefined) continue;
          const name = asString(get(ref, 'name'));
          if (name === 'tightloop-venue-credentials') venueSecretUsers.add(t.owner);
          if (!defined.has(name) && get(ref, 'optional') !== true) {
            at(
              d,
              [...cPath, 'envFrom', j, refKind, 'name'],
              `no ${refKind === 'secretRef' ? 'Secret' : 'ConfigMap'} "${name}" is defined`,
            );
          }
        }
      });
      asArray(get(c, 'env')).forEach((e, j) => {
        for (const [refKind, defined, kind] of [
          ['configMapKeyRef', configMaps, 'ConfigMap'],
          ['secretKeyRef', secrets, 'Secret'],
        ] as const) {
          const ref = get(e, 'valueFrom', refKind);
          if (ref === undefined || get(ref, 'optional') === true) continue;
          const name = asString(get(ref, 'name'));
          const key = asString(get(ref, 'key')) ?? '';
          const target = defined.get(name);
          const refPath = [...cPath, 'env', j, 'valueFrom', refKind];
          if (!target) at(d, [...refPath, 'name'], `no ${kind} "${name}" is defined`);
          else if (!keysOf(target).includes(key))
            at(d, [...refPath, 'key'], `${kind} "${name}" has no key ${key}`);
          if (name === 'tightloop-venue-credentials') venueSecretUsers.add(t.owner);
        }
      });
      asArray(get(c, 'volumeMounts')).forEach((m, j) => {
        const name = asString(get(m, 'name'));
        if (!volumeNames.includes(name)) {
          at(
            d,
            [...cPath, 'volumeMounts', j, 'name'],
            `no volume or volumeClaimTemplate "${name}"`,
          );
        }
      });
    });

    volumes.forEach((v, j) => {
      const vPath = [...t.at, 'volumes', j];
      const cm = asString(get(v, 'configMap', 'name'));
      if (cm !== undefined && !configMaps.has(cm))
        at(d, [...vPath, 'configMap', 'name'], `no ConfigMap "${cm}"`);
      const secret = asString(get(v, 'secret', 'secretName'));
      if (secret !== undefined && !secrets.has(secret))
        at(d, [...vPath, 'secret', 'secretName'], `no Secret "${secret}"`);
      if (secret === 'tightloop-venue-credentials') venueSecretUsers.add(t.owner);
      const claim = asString(get(v, 'persistentVolumeClaim', 'claimName'));
      if (claim !== undefined && !find('PersistentVolumeClaim', claim)) {
        at(
          d,
          [...vPath, 'persistentVolumeClaim', 'claimName'],
          `no PersistentVolumeClaim "${claim}"`,
        );
      }
    });
  }

  // --- the seven services as Deployments ------------------------------------------------
  const hpas = byKind('HorizontalPodAutoscaler');
  const hpaTargets = new Set(
    hpas.map((h) => asString(get(h.data, 'spec', 'scaleTargetRef', 'name'))),
  );
  for (const name of SERVICES) {
    const d = find('Deployment', name);
    if (!d) {
      problems.push(`k8s/: no Deployment "${name}"`);
      continue;
    }
    const cPath: Segment[] = ['spec', 'template', 'spec', 'containers', 0];
    const c = get(d.data, ...cPath);
    if (get(c, 'name') !== name) at(d, [...cPath, 'name'], `the first container must be "${name}"`);
    if (asArray(get(c, 'args')).join(' ') !== `serve ${name}`)
      at(d, [...cPath, 'args'], `must be ['serve', '${name}']`);
    if (envValue(c, 'DB_SCHEMA') !== dbSchemaOf(name)) {
      at(d, [...cPath, 'env'], `DB_SCHEMA must be ${dbSchemaOf(name)}`);
    }
    if (envValue(c, 'OTEL_SERVICE_NAME') !== name) {
      at(
        d,
        [...cPath, 'env'],
        `OTEL_SERVICE_NAME must be ${name} (telemetry refuses to start without it)`,
      );
    }
    if (get(c, 'livenessProbe', 'httpGet', 'path') !== '/health/live') {
      at(d, [...cPath, 'livenessProbe'], 'liveness must probe GET /health/live');
    }
    if (get(c, 'readinessProbe', 'httpGet', 'path') !== '/health/ready') {
      at(d, [...cPath, 'readinessProbe'], 'readiness must probe GET /health/ready');
    }
    const httpPort = asArray(get(c, 'ports')).find((p) => get(p, 'name') === 'http');
    if (String(get(httpPort, 'containerPort')) !== envValue(c, 'HTTP_PORT')) {
      at(d, [...cPath, 'env'], 'HTTP_PORT must equal the containerPort of the port named http');
    }
    const envFrom = asArray(get(c, 'envFrom'));
    if (!envFrom.some((e) => get(e, 'configMapRef', 'name') === 'tightloop-config')) {
      at(d, [...cPath, 'envFrom'], 'the shared config comes from ConfigMap tightloop-config');
    }
    const replicas = get(d.data, 'spec', 'replicas');
    if (includes(AUTOSCALED, name)) {
      if (!hpaTargets.has(name))
        at(d, ['metadata', 'name'], 'a stateless stage needs a HorizontalPodAutoscaler');
      if (replicas !== undefined) {
        at(
          d,
          ['spec', 'replicas'],
          'the HorizontalPodAutoscaler owns replicas; re-applying would reset them',
        );
      }
    } else if (includes(QUEUE_GROUP_PAIRS, name) && replicas !== 2) {
      at(d, ['spec', 'replicas'], 'runs 2 replicas sharing runs through a NATS queue group');
    } else if (name === 'run-controller' && replicas !== 1) {
      at(d, ['spec', 'replicas'], 'one run-controller owns the clock');
    }
  }
  for (const name of [...venueSecretUsers].filter((u) => !includes(VENUE_CLIENTS, u))) {
    const d = find('Deployment', name) ?? find('StatefulSet', name);
    if (d)
      at(
        d,
        ['spec', 'template', 'spec'],
        'only execution and position-monitor may see venue credentials',
      );
  }
  for (const name of VENUE_CLIENTS) {
    const d = find('Deployment', name);
    if (d && !venueSecretUsers.has(name)) {
      at(
        d,
        ['spec', 'template', 'spec', 'containers', 0, 'envFrom'],
        'needs Secret tightloop-venue-credentials',
      );
    }
  }

  // --- HorizontalPodAutoscalers ----------------------------------------------------------
  for (const h of hpas) {
    if (get(h.data, 'apiVersion') !== 'autoscaling/v2') at(h, ['apiVersion'], 'use autoscaling/v2');
    const ref = get(h.data, 'spec', 'scaleTargetRef');
    const target =
      get(ref, 'kind') === 'Deployment'
        ? find('Deployment', asString(get(ref, 'name')))
        : undefined;
    if (!target) {
      at(
        h,
        ['spec', 'scaleTargetRef', 'name'],
        `no Deployment "${String(get(ref, 'name'))}" to scale`,
      );
    } else {
      asArray(get(target.data, 'spec', 'template', 'spec', 'containers')).forEach((c, i) => {
        if (get(c, 'resources', 'requests', 'cpu') === undefined) {
          at(
            target,
            ['spec', 'template', 'spec', 'containers', i, 'resources', 'requests', 'cpu'],
            'CPU utilisation needs a CPU request',
          );
        }
      });
    }
    if (!includes(AUTOSCALED, asString(get(ref, 'name')))) {
      at(h, ['spec', 'scaleTargetRef', 'name'], `only ${AUTOSCALED.join(', ')} are autoscaled`);
    }
    if (get(h.data, 'spec', 'minReplicas') !== 2) at(h, ['spec', 'minReplicas'], 'must be 2');
    if (get(h.data, 'spec', 'maxReplicas') !== 6) at(h, ['spec', 'maxReplicas'], 'must be 6');
    const onCpu = asArray(get(h.data, 'spec', 'metrics')).some(
      (m) => get(m, 'type') === 'Resource' && get(m, 'resource', 'name') === 'cpu',
    );
    if (!onCpu) at(h, ['spec', 'metrics'], 'scale on the cpu Resource metric');
  }

  // --- PodDisruptionBudgets: one per stage, each leaving room for a drain -----------------
  const pdbs = byKind('PodDisruptionBudget');
  for (const p of pdbs) {
    const selected = templates.filter((t) =>
      matches(get(p.data, 'spec', 'selector', 'matchLabels'), t.labels),
    );
    if (selected.length === 0) at(p, ['spec', 'selector'], 'selects no pods');
    for (const t of selected) {
      const replicas = hpaTargets.has(t.owner) ? 2 : Number(get(t.d.data, 'spec', 'replicas') ?? 1);
      const minAvailable = get(p.data, 'spec', 'minAvailable');
      if (typeof minAvailable === 'number' && minAvailable >= replicas) {
        at(p, ['spec', 'minAvailable'], `with ${replicas} replica(s) this blocks every node drain`);
      }
    }
  }
  for (const stage of STAGES) {
    const t = templates.find((x) => kindOf(x.d) === 'Deployment' && x.owner === stage);
    if (t && !pdbs.some((p) => matches(get(p.data, 'spec', 'selector', 'matchLabels'), t.labels))) {
      at(t.d, ['metadata', 'name'], 'a stage needs a PodDisruptionBudget');
    }
  }

  // --- Services: selectors hit pods, target ports exist ----------------------------------
  for (const s of byKind('Service')) {
    const selected = templates.filter((t) => matches(get(s.data, 'spec', 'selector'), t.labels));
    if (selected.length === 0) {
      at(s, ['spec', 'selector'], 'selects no pods');
      continue;
    }
    asArray(get(s.data, 'spec', 'ports')).forEach((port, i) => {
      const target = get(port, 'targetPort');
      if (typeof target !== 'string') return;
      const named = selected.some((t) =>
        asArray(t.spec.containers).some((c) =>
          asArray(get(c, 'ports')).some((p) => get(p, 'name') === target),
        ),
      );
      if (!named)
        at(
          s,
          ['spec', 'ports', i, 'targetPort'],
          `no selected container has a port named ${target}`,
        );
    });
  }
  const api = find('Service', 'run-controller');
  if (!api) problems.push('k8s/: no Service "run-controller" for the results API');
  else if (!asArray(get(api.data, 'spec', 'ports')).some((p) => get(p, 'port') === 8080)) {
    at(api, ['spec', 'ports'], 'the results API is served on port 8080');
  }

  // --- StatefulSets: NATS and Postgres with storage and a governing headless Service ------
  for (const name of ['nats', 'postgres']) {
    const ss = find('StatefulSet', name);
    if (!ss) {
      problems.push(`k8s/: no StatefulSet "${name}"`);
      continue;
    }
    if (!find('Service', name)) problems.push(`k8s/: no Service "${name}" for the ${name} clients`);
    const governing = find('Service', asString(get(ss.data, 'spec', 'serviceName')));
    if (!governing || get(governing.data, 'spec', 'clusterIP') !== 'None') {
      at(ss, ['spec', 'serviceName'], 'must name a headless Service (clusterIP: None)');
    }
    if (asArray(get(ss.data, 'spec', 'volumeClaimTemplates')).length === 0) {
      at(ss, ['spec', 'volumeClaimTemplates'], 'needs a PersistentVolumeClaim template');
    }
  }
  const natsConfig = asString(get(configMaps.get('nats-config')?.data, 'data', 'nats.conf')) ?? '';
  const natsArgs = asArray(
    get(find('StatefulSet', 'nats')?.data, 'spec', 'template', 'spec', 'containers', 0, 'args'),
  );
  if (!/jetstream/.test(natsConfig) && !natsArgs.some((a) => a === '-js' || a === '--jetstream')) {
    problems.push('k8s/: NATS must run with JetStream enabled');
  }

  // --- ConfigMap and Secrets -------------------------------------------------------------
  const shared = configMaps.get('tightloop-config');
  if (shared) {
    if (get(shared.data, 'data', 'TIGHTLOOP_STARTUP_MODE') !== 'live') {
      at(
        shared,
        ['data', 'TIGHTLOOP_STARTUP_MODE'],
        'the Kubernetes deployment is for live trading',
      );
    }
    if (!String(get(shared.data, 'data', 'NATS_URL') ?? '').startsWith('nats://nats:')) {
      at(shared, ['data', 'NATS_URL'], 'must point at the nats Service');
    }
    const level = asString(get(shared.data, 'data', 'LOG_LEVEL'));
    if (level !== undefined && !LOG_LEVELS.includes(level)) {
      at(
        shared,
        ['data', 'LOG_LEVEL'],
        `one of ${LOG_LEVELS.join(', ')} (both loggers accept these)`,
      );
    }
  }
  for (const s of byKind('Secret')) {
    for (const [key, value, path] of decodedSecretValues(s)) {
      // Values are never printed: a real key must not end up in a CI log either.
      if (key === 'TIGHTLOOP_ENVIRONMENT') {
        if (value !== 'testnet') at(s, path, 'the committed venue environment must be testnet');
      } else if (!value.includes('REPLACE_ME')) {
        at(s, path, 'not a placeholder: committed Secret values must contain REPLACE_ME');
      }
    }
  }
  const venue = secrets.get('tightloop-venue-credentials');
  if (!venue) problems.push('k8s/: no Secret "tightloop-venue-credentials"');
  else {
    const keys = keysOf(venue);
    for (const key of VENUE_SECRET_KEYS) {
      if (!keys.includes(key)) at(venue, ['stringData'], `missing ${key}`);
    }
  }
  return problems;
}

// === Dockerfile and .dockerignore =========================================================

/** `FROM ... AS <name>` targets of a Dockerfile. */
export function dockerfileTargets(dockerfile: string): string[] {
  return [...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]!);
}

export function checkDockerfile(dockerfile: string, dockerignore: string): string[] {
  const problems: string[] = [];
  const lines = dockerfile.split('\n');
  const lineOf = (re: RegExp) => lines.findIndex((l) => re.test(l)) + 1;
  const say = (re: RegExp, message: string) => {
    const line = lineOf(re);
    problems.push(`Dockerfile${line > 0 ? ` line ${line}` : ''}: ${message}`);
  };
  if (
    !/^ARG NODE_IMAGE=node:20-bookworm-slim$/m.test(dockerfile) &&
    !/^FROM node:20-bookworm-slim/m.test(dockerfile)
  ) {
    say(/^FROM/, 'the base image is node:20-bookworm-slim');
  }
  // The image gets exactly the locked versions, as CI does.
  if (!/^RUN npm ci\b/m.test(dockerfile))
    say(/^RUN/, 'dependencies are installed from the lock file with npm ci');
  const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]!);
  const user = users[users.length - 1];
  if (user === undefined || !/^[1-9]\d*(:\d+)?$/.test(user)) {
    say(/^USER/, 'run as a numeric non-root USER (runAsNonRoot can only verify a number)');
  }
  const healthcheck = dockerfile.match(/^HEALTHCHECK(?:[^\n]*\\\n)*[^\n]*/m)?.[0] ?? '';
  if (!healthcheck.includes('/health/live'))
    say(/^HEALTHCHECK/, 'HEALTHCHECK must probe /health/live');
  if (/\bcurl\b|\bwget\b/.test(healthcheck))
    say(/^HEALTHCHECK/, 'no curl/wget in the image; use node');
  const targets = dockerfileTargets(dockerfile);
  for (const name of SERVICES) {
    if (!targets.includes(name)) problems.push(`Dockerfile: no target "${name}"`);
    const cmd = new RegExp(
      `^FROM\\s+\\S+\\s+AS\\s+${name}\\s*\\n(?:(?!FROM)[^\\n]*\\n)*?CMD \\["serve", "${name}"\\]`,
      'm',
    );
    if (targets.includes(name) && !cmd.test(dockerfile)) {
      say(new RegExp(`AS\\s+${name}\\b`), `target ${name} must run CMD ["serve", "${name}"]`);
    }
  }
  const ignored = dockerignore.split('\n').map((l) => l.trim());
  for (const entry of ['node_modules', 'runs', '.cache', '.git', 'coverage']) {
    if (!ignored.includes(entry)) problems.push(`.dockerignore: ${entry} is not excluded`);
  }
  return problems;
}
