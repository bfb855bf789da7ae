import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { readConfig } from '../lib/platform/config.js';
import { compiledSources, sourceOf } from './kit/build.js';

/**
 * The Kubernetes manifests (deploy/k8s: a kustomize base and an example overlay), checked without a cluster: every
 * service's container environment, with its secrets as the pod would see them, passes the configuration check in
 * production mode; each container runs, with plain node, an entry point that the build compiles; probes, container
 * ports and Service ports agree with the port that configuration gives; the gateway finds each subgraph at its
 * Service; secrets are referenced, never held.
 */
const BASE = 'deploy/k8s/base';
const SECRET = 'credit-graph-secrets';
const apps = ['gateway', 'listings', 'enforcement', 'repair'] as const;

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  command: string[];
  ports: { name: string; containerPort: number }[];
  env: EnvVar[];
  volumeMounts: { name: string; mountPath: string }[];
  readinessProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  spec: {
    template: {
      metadata: { annotations?: Record<string, string> };
      spec: { containers: Container[]; volumes: { name: string; secret: { secretName: string; items: { key: string; path: string }[] } }[] };
    };
    ports: { port: number; targetPort: string }[];
  };
}

const kustomization = parse(readFileSync(join(BASE, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
const manifests = kustomization.resources.flatMap((file) => parseAllDocuments(readFileSync(join(BASE, file), 'utf8')).map((d) => d.toJS() as Manifest));
const of = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name)!;
const containerOf = (name: string) => of('Deployment', name).spec.template.spec.containers[0]!;

/** Values a secret key stands for in this check: the development files where there is one, a plausible value otherwise. */
const SECRET_VALUES: Record<string, string> = {
  'database-url': 'postgres://credit:credit@postgres:5432/credit',
  'redis-url': 'redis://redis:6379',
};
const MOUNTED_FILES: Record<string, string> = {
  'gateway-proof-secret': 'deploy/dev-secrets/gateway-proof-secret',
  'mask-hash-key': 'deploy/dev-secrets/mask-hash-key',
  'jwks.json': 'deploy/dev-secrets/jwks.json',
};

/** The environment the container starts with, secret files and keys resolved as the pod would see them. */
function podEnv(name: string): Record<string, string> {
  const container = containerOf(name);
  const mount = container.volumeMounts.find((m) => m.name === 'secrets')!.mountPath;
  const env: Record<string, string> = {};
  for (const v of container.env) {
    if (v.valueFrom?.secretKeyRef) {
      expect(v.valueFrom.secretKeyRef.name).toBe(SECRET);
      env[v.name] = SECRET_VALUES[v.valueFrom.secretKeyRef.key]!;
    } else if (v.value?.startsWith(`${mount}/`)) {
      env[v.name] = MOUNTED_FILES[v.value.slice(mount.length + 1)]!;
    } else {
      env[v.name] = v.value!;
    }
  }
  return env;
}

describe('Kubernetes manifests (checked without a cluster)', () => {
  test('the base lists a Deployment and a Service for each of the four services, and the example overlay builds on it', () => {
    for (const name of apps) {
      expect(of('Deployment', name)).toBeDefined();
      expect(of('Service', name)).toBeDefined();
    }
    const overlay = parse(readFileSync('deploy/k8s/overlays/example/kustomization.yaml', 'utf8')) as { resources: string[]; namespace: string };
    expect(overlay.resources).toEqual(['../../base']);
    expect(overlay.namespace).toBeTruthy();
  });

  test.each(apps)('%s: its environment passes the configuration check in production mode, with the mounted secrets', (name) => {
    const config = readConfig(podEnv(name));
    expect(config.production).toBe(true);
    expect(config.gatewayProofSecret).toBe(readFileSync(MOUNTED_FILES['gateway-proof-secret']!, 'utf8').trim());
    expect(config.auth.trustDevKey).toBe(false);
  });

  test.each(apps)('%s: probes, container ports, scrape annotations and Service agree with the configuration; resources are set', (name) => {
    const config = readConfig(podEnv(name));
    const port = config.ports[name];
    const container = containerOf(name);
    // the gateway's metrics on a port of their own, which its Service (the callers' way in) does not expose
    const metricsPort = name === 'gateway' ? config.gatewayMetricsPort : port;
    expect(container.ports).toEqual([{ name: 'http', containerPort: port }, ...(name === 'gateway' ? [{ name: 'metrics', containerPort: metricsPort }] : [])]);
    expect(of('Deployment', name).spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(metricsPort),
      'prometheus.io/path': '/metrics',
    });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(of('Service', name).spec.ports).toEqual([{ name: 'http', port, targetPort: 'http' }]);
    // the image's compiled code, with plain node (no tsx in the image)
    const [node, entry, ...rest] = container.command;
    expect([node, rest]).toEqual(['node', []]);
    expect(compiledSources()).toContain(sourceOf(entry!));
    for (const bound of [container.resources.requests, container.resources.limits]) expect(Object.keys(bound).sort()).toEqual(['cpu', 'memory']);
  });

  test("the gateway finds each subgraph at that subgraph's Service and port", () => {
    const gateway = readConfig(podEnv('gateway'));
    for (const name of ['listings', 'enforcement', 'repair'] as const) {
      expect(gateway.subgraphUrls[name]).toBe(`http://${name}:${readConfig(podEnv(name)).ports[name]}/graphql`);
    }
  });

  test('secrets are referenced by name, never held in the manifests', () => {
    for (const name of apps) {
      const volume = of('Deployment', name).spec.template.spec.volumes.find((v) => v.name === 'secrets')!;
      expect(volume.secret.secretName).toBe(SECRET);
      expect(volume.secret.items.map((i) => i.key).sort()).toEqual(Object.keys(MOUNTED_FILES).sort());
    }
    expect(manifests.some((m) => m.kind === 'Secret')).toBe(false);
  });
});
