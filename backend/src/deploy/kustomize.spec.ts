import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';

// Renders deploy/kubernetes with `kubectl kustomize` (.ci/run installs kubectl when missing) and checks every object
// against the Kubernetes schemas (kubernetes-models) and the house rules: probes, limits, non-root, no inlined secret.
// kubectl renders in about a second; on a busy 2-core machine several times that.

const root = path.resolve(__dirname, '../../../deploy/kubernetes');

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return --
   rendered manifests are untyped JSON, checked field by field */
type K8sObject = Record<string, any>;

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

/** Names of settings that are secrets: they may only come from the existing Secret. */
const SECRET_SETTINGS = [
  'DATABASE_URL',
  'REDIS_URL',
  'JWT_SECRET',
  'ENCRYPTION_KEYS',
  'BLIND_INDEX_KEY',
  'METRICS_TOKEN',
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'SMTP_URL',
  'OIDC_CLIENT_SECRET',
];

/** `kubectl kustomize`, then the YAML stream turned into JSON by kubectl itself (no YAML parser needed). */
function render(dir: string): K8sObject[] {
  const kubectl = (args: string[], input?: string) =>
    execFileSync('kubectl', args, {
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 32 * 1024 * 1024,
    });
  const yaml = kubectl(['kustomize', path.join(root, dir)]);
  // A local annotate that removes an annotation nobody has: a no-op that prints each object as JSON, offline.
  const json = kubectl(['annotate', '--local', '-f', '-', '-o', 'json', 'lien.render/none-'], yaml);
  return JSON.parse(`[${json.replace(/^}\n(?=\{)/gm, '},\n')}]`) as K8sObject[];
}

const key = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const podSpecOf = (o: K8sObject): K8sObject | undefined =>
  o.kind === 'Deployment' || o.kind === 'Job' ? o.spec.template.spec : undefined;
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([name, value]) => labels[name] === value);

describe.each(['base', 'overlays/production'])('deploy/kubernetes/%s', (dir) => {
  let objects: K8sObject[];
  beforeAll(() => {
    objects = render(dir);
  });

  it('renders the API, worker, console, migration Job and their companions', () => {
    const names = objects.map(key);
    for (const expected of [
      'Deployment/lien-api',
      'Deployment/lien-worker',
      'Deployment/lien-console',
      'Job/lien-migrate',
      'Service/lien-api',
      'Service/lien-console',
      'Service/lien-worker',
      'HorizontalPodAutoscaler/lien-api',
      'Ingress/lien',
      'Ingress/lien-questionnaire',
      'NetworkPolicy/lien-default-deny',
      'PodDisruptionBudget/lien-api',
      'PodDisruptionBudget/lien-worker',
      'PodDisruptionBudget/lien-console',
    ])
      expect(names).toContain(expected);
  });

  it('every object is valid against the Kubernetes schema of its kind', () => {
    for (const object of objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      if (!Model) throw new Error(`${key(object)}: no schema known for ${object.apiVersion} ${object.kind}`);
      expect(() => new Model(object).validate()).not.toThrow();
    }
  });

  it('no secret is inlined: no Secret with data, secret settings only from the existing Secret', () => {
    for (const secret of ofKind(objects, 'Secret')) {
      expect(secret.data ?? {}).toEqual({});
      expect(secret.stringData ?? {}).toEqual({});
    }
    for (const configMap of ofKind(objects, 'ConfigMap'))
      for (const name of SECRET_SETTINGS) expect(Object.keys(configMap.data ?? {})).not.toContain(name);
    for (const object of objects) {
      const spec = podSpecOf(object);
      if (!spec) continue;
      for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
        for (const env of container.env ?? [])
          if (SECRET_SETTINGS.includes(env.name)) expect(env.valueFrom?.secretKeyRef).toBeDefined();
        if (container.image.includes('console')) continue;
        expect(container.envFrom).toContainEqual({ secretRef: { name: 'lien-secrets' } });
      }
    }
  });

  it('every pod is non-root, read-only, without capabilities, under seccomp, with /tmp and limits', () => {
    const withPods = objects.filter(podSpecOf);
    expect(withPods.map(key).sort()).toEqual([
      'Deployment/lien-api',
      'Deployment/lien-console',
      'Deployment/lien-worker',
      'Job/lien-migrate',
    ]);
    for (const object of withPods) {
      const spec = podSpecOf(object)!;
      expect([key(object), spec.securityContext?.runAsNonRoot]).toEqual([key(object), true]);
      expect(spec.securityContext?.runAsUser).toBeGreaterThan(0);
      expect(spec.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
      expect(spec.automountServiceAccountToken).toBe(false);
      for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
        const where = `${key(object)} container ${container.name}`;
        const context = container.securityContext ?? {};
        expect([where, context.runAsNonRoot, context.readOnlyRootFilesystem]).toEqual([where, true, true]);
        expect([where, context.allowPrivilegeEscalation, context.privileged ?? false]).toEqual([
          where,
          false,
          false,
        ]);
        expect([where, context.capabilities?.drop]).toEqual([where, ['ALL']]);
        expect([where, context.capabilities?.add ?? []]).toEqual([where, []]);
        expect([where, context.seccompProfile?.type ?? spec.securityContext.seccompProfile.type]).toEqual([
          where,
          'RuntimeDefault',
        ]);
        for (const resource of ['cpu', 'memory']) {
          expect([where, resource, container.resources?.limits?.[resource]]).toEqual([
            where,
            resource,
            expect.any(String),
          ]);
          expect([where, resource, container.resources?.requests?.[resource]]).toEqual([
            where,
            resource,
            expect.any(String),
          ]);
        }
        const tmp = (container.volumeMounts ?? []).find((m: K8sObject) => m.mountPath === '/tmp');
        expect([where, tmp && spec.volumes.find((v: K8sObject) => v.name === tmp.name)?.emptyDir]).toEqual([
          where,
          expect.any(Object),
        ]);
      }
    }
  });

  it('every server has liveness and readiness probes on the documented paths', () => {
    for (const deployment of ofKind(objects, 'Deployment'))
      for (const container of deployment.spec.template.spec.containers) {
        expect([key(deployment), container.livenessProbe?.httpGet?.path]).toEqual([
          key(deployment),
          expect.any(String),
        ]);
        expect([key(deployment), container.readinessProbe?.httpGet?.path]).toEqual([
          key(deployment),
          expect.any(String),
        ]);
      }
    const probes = (name: string) => {
      const container = ofKind(objects, 'Deployment').find((d) => d.metadata.name === name)!.spec.template
        .spec.containers[0];
      const port = (probe: K8sObject) =>
        container.ports.find((p: K8sObject) => p.name === probe.httpGet.port)?.containerPort;
      return {
        live: [container.livenessProbe.httpGet.path, port(container.livenessProbe)],
        ready: [container.readinessProbe.httpGet.path, port(container.readinessProbe)],
      };
    };
    expect(probes('lien-api')).toEqual({
      live: ['/api/health/live', 3000],
      ready: ['/api/health/ready', 3000],
    });
    expect(probes('lien-worker')).toEqual({ live: ['/health/live', 3001], ready: ['/health/ready', 3001] });
    const config = ofKind(objects, 'ConfigMap').find((c) => c.metadata.name.startsWith('lien-config'))!;
    expect(config.data).toMatchObject({ NODE_ENV: 'production', PORT: '3000', WORKER_HEALTH_PORT: '3001' });
  });

  it('the API scales on CPU and no replica count fights the autoscaler; every Deployment has a PDB', () => {
    const hpa = ofKind(objects, 'HorizontalPodAutoscaler')[0]!;
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'lien-api' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    const api = ofKind(objects, 'Deployment').find((d) => d.metadata.name === 'lien-api')!;
    expect(api.spec.replicas).toBeUndefined();
    for (const deployment of ofKind(objects, 'Deployment')) {
      const labels = deployment.spec.template.metadata.labels as Record<string, string>;
      expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
      const budgets = ofKind(objects, 'PodDisruptionBudget').filter((b) =>
        matches(b.spec.selector.matchLabels, labels),
      );
      expect([key(deployment), budgets.length]).toEqual([key(deployment), 1]);
    }
  });

  it('Services and Ingress backends point at pods and ports that exist', () => {
    const deployments = ofKind(objects, 'Deployment');
    for (const service of ofKind(objects, 'Service')) {
      const target = deployments.find((d) => matches(service.spec.selector, d.spec.template.metadata.labels));
      expect([key(service), target && key(target)]).toEqual([key(service), expect.any(String)]);
      const portNames = target!.spec.template.spec.containers.flatMap((c: K8sObject) =>
        c.ports.map((p: K8sObject) => p.name),
      );
      for (const port of service.spec.ports) expect(portNames).toContain(port.targetPort);
    }
    for (const ingress of ofKind(objects, 'Ingress'))
      for (const rule of ingress.spec.rules)
        for (const { backend } of rule.http.paths) {
          const service = ofKind(objects, 'Service').find((s) => s.metadata.name === backend.service.name);
          expect(service?.spec.ports.map((p: K8sObject) => p.name)).toContain(backend.service.port.name);
        }
  });

  it('Ingress: TLS for every host, a body size limit, /q never logged, /metrics never routed', () => {
    const ingresses = ofKind(objects, 'Ingress');
    for (const ingress of ingresses) {
      const tlsHosts = ingress.spec.tls.flatMap((t: K8sObject) => t.hosts);
      for (const rule of ingress.spec.rules) expect(tlsHosts).toContain(rule.host);
      expect(ingress.metadata.annotations['nginx.ingress.kubernetes.io/proxy-body-size']).toMatch(
        /^\d+[km]$/,
      );
      expect(ingress.metadata.annotations['nginx.ingress.kubernetes.io/ssl-redirect']).toBe('true');
      const paths = ingress.spec.rules.flatMap((r: K8sObject) => r.http.paths.map((p: K8sObject) => p.path));
      expect(paths).not.toContain('/metrics');
      // The parents' link token is in the /q path: the Ingress that serves it keeps no access log.
      if (paths.some((p: string) => p === '/q' || p.startsWith('/q/')))
        expect(ingress.metadata.annotations['nginx.ingress.kubernetes.io/enable-access-log']).toBe('false');
    }
    const servesQuestionnaire = ingresses.filter((i) =>
      i.spec.rules.some((r: K8sObject) => r.http.paths.some((p: K8sObject) => p.path === '/q')),
    );
    expect(servesQuestionnaire).toHaveLength(1);
  });

  it('NetworkPolicies: default deny; the API from the ingress controller (and Prometheus); data stores from Lien', () => {
    const policies = ofKind(objects, 'NetworkPolicy');
    const deny = policies.find((p) => p.metadata.name === 'lien-default-deny')!;
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const selects = (policy: K8sObject, labels: Record<string, string>) => {
      const selector = policy.spec.podSelector;
      return (
        matches(selector.matchLabels ?? {}, labels) &&
        (selector.matchExpressions ?? []).every((e: K8sObject) => e.values.includes(labels[e.key]))
      );
    };
    const sources = (labels: Record<string, string>) =>
      policies
        .filter((p) => selects(p, labels))
        .flatMap((p) => (p.spec.ingress ?? []).flatMap((rule: K8sObject) => rule.from ?? [{ anyone: true }]));
    const apiSources = sources({ 'app.kubernetes.io/name': 'lien', 'app.kubernetes.io/component': 'api' });
    expect(apiSources.length).toBeGreaterThan(0);
    for (const source of apiSources) {
      const namespace = source.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
      expect(['ingress-nginx', 'monitoring']).toContain(namespace);
      expect(source.ipBlock).toBeUndefined();
    }
    const lienApp = (source: K8sObject) =>
      !source.namespaceSelector &&
      source.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'lien' &&
      source.podSelector.matchExpressions?.[0]?.values?.every((c: string) =>
        ['api', 'worker', 'migrate'].includes(c),
      );
    for (const store of ['postgresql', 'redis']) {
      const storeSources = sources({ 'app.kubernetes.io/name': store });
      expect(storeSources.some(lienApp)).toBe(true);
      for (const source of storeSources)
        expect([
          store,
          lienApp(source) || source.podSelector?.matchLabels?.['app.kubernetes.io/name'],
        ]).toEqual([store, lienApp(source) ? true : store]);
    }
  });

  it('the migration Job runs the image migrate command once, never restarting in place', () => {
    const job = ofKind(objects, 'Job').find((j) => j.metadata.name === 'lien-migrate')!;
    const container = job.spec.template.spec.containers[0];
    expect(container.args).toEqual(['node', 'dist/backend/backend/src/cli/migrate.js']);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.backoffLimit).toBeLessThanOrEqual(1);
    const api = ofKind(objects, 'Deployment').find((d) => d.metadata.name === 'lien-api')!;
    expect(container.image).toBe(api.spec.template.spec.containers[0].image);
  });
});

describe('the production overlay', () => {
  it('puts everything in its namespace, enforces Pod Security "restricted" and names real images', () => {
    const objects = render('overlays/production');
    const namespace = objects.find((o) => o.kind === 'Namespace')!;
    expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const object of objects.filter((o) => o.kind !== 'Namespace'))
      expect([key(object), object.metadata.namespace]).toEqual([key(object), namespace.metadata.name]);
    for (const object of objects) {
      const spec = podSpecOf(object);
      for (const container of spec?.containers ?? [])
        expect(container.image).toMatch(/^[a-z0-9.-]+\/[a-z0-9/._-]+[:@]/);
    }
  });
});

describe('the validation itself', () => {
  it('refuses an object that breaks its schema', () => {
    const [deployment] = render('base').filter((o) => o.kind === 'Deployment');
    const broken = structuredClone(deployment!);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'three thousand';
    expect(() => new Deployment(broken).validate()).toThrow();
    expect(() => new Deployment(deployment).validate()).not.toThrow();
  });
});
