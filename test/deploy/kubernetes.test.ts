import { spawnSync } from 'node:child_process';
import { Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { ROOT } from '../helpers/built-cli.js';
import { restrictedViolations } from './restricted-profile.js';

/**
 * deploy/kubernetes/ as the cluster would receive it: rendered by `kubectl
 * kustomize`, each object validated against the Kubernetes API schemas
 * (kubernetes-models), the pod spec held to the "restricted" profile, and
 * what a team's gateway needs checked one by one.
 */
type Manifest = Record<string, any>;

// The rendered objects are checked by the validators, not by TypeScript: hence the loose constructor type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  Deployment,
  Service,
  Secret,
  HorizontalPodAutoscaler,
  PodDisruptionBudget,
};

function render(): Manifest[] {
  const result = spawnSync('kubectl', ['kustomize', 'deploy/kubernetes'], { cwd: ROOT, encoding: 'utf8' });
  if (result.error) throw new Error(`kubectl is needed to render deploy/kubernetes (.ci/run installs Debian's kubernetes-client): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`kubectl kustomize failed: ${result.stderr}`);
  return parseAllDocuments(result.stdout).map((document) => document.toJSON() as Manifest);
}

const manifests = render();
const byKind = (kind: string): Manifest => {
  const found = manifests.find((manifest) => manifest.kind === kind);
  if (!found) throw new Error(`no ${kind} in deploy/kubernetes`);
  return found;
};
const deployment = byKind('Deployment');
const pod = deployment.spec.template.spec;
const container = pod.containers[0];

describe('deploy/kubernetes', () => {
  it('renders a Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget and Secret, each valid against the API schema', () => {
    expect(manifests.map((manifest) => manifest.kind).sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Secret', 'Service']);
    for (const manifest of manifests) {
      const Model = MODELS[manifest.kind];
      expect(Model, manifest.kind).toBeDefined();
      expect(() => new Model!(manifest).validate(), manifest.kind).not.toThrow();
    }
  });

  it('the schema validation catches a wrong type (the validator is live)', () => {
    const broken = structuredClone(deployment);
    broken.spec.replicas = 'two';
    expect(() => new Deployment(broken).validate()).toThrow(/replicas must be integer/);
  });

  it('the pod meets the "restricted" Pod Security Standard', () => {
    expect(restrictedViolations(pod)).toEqual([]);
  });

  it('the restricted check finds each violation (privilege escalation, capabilities, root, seccomp, host namespaces, volumes)', () => {
    const broken = structuredClone(pod);
    broken.hostNetwork = true;
    broken.volumes.push({ name: 'host', hostPath: { path: '/' } });
    delete broken.securityContext.seccompProfile;
    broken.securityContext.runAsNonRoot = false;
    broken.containers[0].securityContext = { allowPrivilegeEscalation: true, runAsNonRoot: false, capabilities: { add: ['NET_ADMIN'] } };
    const problems = restrictedViolations(broken).join('\n');
    for (const pattern of [/hostNetwork/, /hostPath/, /allowPrivilegeEscalation/, /drop ALL/, /adds capability NET_ADMIN/, /runAsNonRoot/, /seccompProfile is unset/]) {
      expect(problems).toMatch(pattern);
    }
  });

  it('two or more replicas, spread by the HPA from 2, never all disrupted at once', () => {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    const hpa = byKind('HorizontalPodAutoscaler');
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
    const pdb = byKind('PodDisruptionBudget');
    expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(1);
    // The PDB and the Service select the Deployment's pods.
    const labels = deployment.spec.template.metadata.labels;
    for (const selector of [pdb.spec.selector.matchLabels, byKind('Service').spec.selector]) {
      for (const [key, value] of Object.entries(selector)) expect(labels[key]).toBe(value);
    }
  });

  it('liveness asks /health, readiness /ready, on the container\'s port', () => {
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/health', port: 'http' });
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/ready', port: 'http' });
    expect(container.ports).toContainEqual({ name: 'http', containerPort: 8420 });
  });

  it('the termination grace outlasts the proxy\'s stream grace', () => {
    const streamGraceSeconds = ConfigSchema.parse({}).server.shutdownGraceMs / 1000;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(streamGraceSeconds);
  });

  it('Prometheus scrapes /metrics on the pod template', () => {
    expect(deployment.spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '8420',
      'prometheus.io/path': '/metrics',
    });
  });

  it('memory requests and limits, a CPU request (for the HPA), a writable /tmp for the read-only root', () => {
    expect(container.resources.requests).toHaveProperty('memory');
    expect(container.resources.requests).toHaveProperty('cpu');
    expect(container.resources.limits).toHaveProperty('memory');
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    const tmp = container.volumeMounts.find((mount: Manifest) => mount.mountPath === '/tmp');
    expect(pod.volumes.find((volume: Manifest) => volume.name === tmp?.name)).toHaveProperty('emptyDir');
  });

  it('the service principal comes from the Secret; callers\' own tokens go upstream (passthrough auth)', () => {
    const secret = byKind('Secret');
    expect(container.envFrom).toContainEqual({ secretRef: { name: secret.metadata.name } });
    expect(Object.keys(secret.stringData).sort()).toEqual(['DATABRICKS_CLIENT_ID', 'DATABRICKS_CLIENT_SECRET', 'DATABRICKS_HOST']);
    expect(container.env).toContainEqual({ name: 'DBX_PROXY_PASSTHROUGH_AUTH', value: 'true' });
  });
});
