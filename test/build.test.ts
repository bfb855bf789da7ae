import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { demoDataset, showcaseSubject } from '../lib/demo/dataset.js';
import { killAll, spawnService, type Spawned } from '../lib/platform/process/spawnService.js';
import { SUBGRAPHS } from '../schema/files.js';
import { compiledSources } from './kit/build.js';
import { compose, dockerfile, localEnv } from './kit/compose.js';
import { runScript } from './kit/runScript.js';
import { graphql } from './kit/system.js';
import { fullReader } from './kit/tokens.js';
import { eventually } from './kit/traces.js';

/**
 * The production build (`npm run build`) and what the image runs from it, checked without a Docker engine. The build is
 * made once into a folder laid out as the image's /app (package.json, node_modules, dist/), and the compiled entry
 * points are started from it with plain node, no tsx, in the composed production environment.
 */
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
const K8S = 'deploy/k8s/base';
const [buildStage = '', runtimeStage = '', ...extraStages] = dockerfile.split(/^FROM /m).slice(1);
/** Without comments: what a file makes the container do. */
const code = (text: string) => text.replace(/^\s*#.*$/gm, '');

/** Every command a container of the image runs: the Dockerfile's default, the compose services', the Kubernetes pods'. */
const commands: string[][] = [
  JSON.parse(/^CMD (\[.*\])$/m.exec(runtimeStage)?.[1] ?? '[]') as string[],
  ...Object.values(compose.services).flatMap((s) => (s.build && s.command ? [s.command] : [])),
  ...readdirSync(K8S)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) =>
      parseAllDocuments(readFileSync(join(K8S, f), 'utf8')).map((d) => d.toJS() as { spec?: { template?: { spec: { containers: { command: string[] }[] } } } }),
    )
    .flatMap((m) => m.spec?.template?.spec.containers.map((c) => c.command) ?? []),
];

/** The folders whose files the code reads at run time through `new URL(…, import.meta.url)`. */
const READ_AT_RUN_TIME = [
  'schema',
  'gateway/audit/migrations',
  'subgraphs/listings/migrations',
  'subgraphs/enforcement/migrations',
  'subgraphs/repair/migrations',
  'lib/domain/calendar/data',
];

/** What a compiled module imports: `import … from '…'`, `export … from '…'`, `import '…'`, `import('…')`. */
const IMPORTS = /^(?:import|export)\s[^;]*?\bfrom\s*'([^'\n]+)'|^import\s*'([^'\n]+)'|\bimport\(\s*'([^'\n]+)'\s*\)/gm;
/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`). */
const packageOf = (specifier: string) => specifier.split('/', specifier.startsWith('@') ? 2 : 1).join('/');

/** The files under `dir`, relative to it. */
const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));

describe('Dockerfile (checked without a Docker engine)', () => {
  test('it builds in one stage and runs in another, from the production dependencies and the compiled code only', () => {
    expect(extraStages).toEqual([]);
    expect(buildStage).toMatch(/^RUN npm ci\b(?!.*--omit)/m);
    expect(buildStage).toMatch(/^RUN npm run build$/m);
    // the build stage has every folder the build compiles
    const folders = new Set([...compiledSources()].map((file) => relative(resolve('.'), file).split(sep)[0]!));
    for (const folder of folders) expect(buildStage).toContain(`COPY ${folder} ./${folder}\n`);
    expect(runtimeStage).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect(runtimeStage).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    // besides the compiled code, only data: the clients' registered operations
    expect(runtimeStage).toMatch(/^COPY operations \.\/operations$/m);
    expect(runtimeStage).not.toMatch(/^COPY (?!--from=build|package|operations )/m);
  });

  test('every container runs compiled JavaScript with plain node: no tsx, no source maps switched on', () => {
    expect(commands.length).toBe(1 + 4 + 4);
    for (const command of commands) expect(command).toEqual(['node', expect.stringMatching(/^dist\/.+\.js$/)]);
    for (const text of [runtimeStage, readFileSync('docker-compose.yml', 'utf8'), ...readdirSync(K8S).map((f) => readFileSync(join(K8S, f), 'utf8'))]) {
      expect(code(text)).not.toMatch(/tsx|source-?maps/i);
    }
  });
});

describe('npm run build, and its output run as the image runs it', () => {
  let app: string;
  const running: Spawned[] = [];
  beforeAll(async () => {
    // the image's /app: package.json ("type": "module") and node_modules beside dist/
    app = await mkdtemp(join(tmpdir(), 'credit-graph-build-'));
    await copyFile('package.json', join(app, 'package.json'));
    symlinkSync(resolve('node_modules'), join(app, 'node_modules'), 'dir');
    const build = await runScript('scripts/build.ts', join(app, 'data'), [join(app, 'dist')]);
    expect({ code: build.code, output: build.stdout + build.stderr }).toEqual({ code: 0, output: expect.stringContaining('build: compiled into') });
  }, 300_000);
  afterAll(async () => {
    running.splice(0);
    killAll();
    await rm(app, { recursive: true, force: true });
  });

  test("every container's entry point is built, with the files the code reads at run time beside it", () => {
    const built = new Set(filesUnder(join(app, 'dist')));
    for (const [, entry] of commands) expect(built).toContain(relative('dist', entry!));
    for (const dir of READ_AT_RUN_TIME) {
      const needed = filesUnder(dir).filter((f) => !f.endsWith('.ts') && !f.endsWith('.md'));
      expect(needed.length).toBeGreaterThan(0);
      for (const file of needed) expect(built).toContain(join(dir, file));
    }
  });

  test('no source maps are built, and the compiled code imports nothing outside the production dependencies', () => {
    const dist = join(app, 'dist');
    const files = filesUnder(dist);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    const packages = new Set<string>();
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      const js = readFileSync(join(dist, file), 'utf8');
      expect(js).not.toContain('sourceMappingURL');
      for (const m of js.matchAll(IMPORTS)) {
        const specifier = m.slice(1).find(Boolean)!;
        if (!specifier.startsWith('.') && !isBuiltin(specifier)) packages.add(packageOf(specifier));
      }
    }
    expect(packages.size).toBeGreaterThan(0);
    // what `npm ci --omit=dev` installs in the image
    for (const name of packages) expect(Object.keys(pkg.dependencies)).toContain(name);
  });

  test('the compiled subgraphs and gateway, started with plain node as the compose file starts them, are ready and serve the credit file', async () => {
    const env = localEnv(join(app, 'data'), `credit-graph:test-${process.pid}-build:`);
    const entryOf = (service: string) => join(app, compose.services[service]!.command![1]!);
    const ready = async (url: string) =>
      (await eventually(
        () => fetch(new URL('/health/ready', url)).then((r) => r.status),
        (s) => s === 200,
        60_000,
      )) === 200;

    const urls: Record<string, string> = {};
    for (const name of SUBGRAPHS) {
      const subgraph = await spawnService(entryOf(name), env, new RegExp(`${name} subgraph at ([^\\s"]+)`), 120_000);
      running.push(subgraph);
      expect(await ready(subgraph.url)).toBe(true);
      urls[`${name.toUpperCase()}_URL`] = subgraph.url;
    }
    const gateway = await spawnService(entryOf('gateway'), { ...env, ...urls }, /gateway at ([^\s"]+)/, 120_000);
    running.push(gateway);
    expect(await ready(gateway.url)).toBe(true);

    const subject = showcaseSubject().code;
    const authority = demoDataset().entries.find((e) => e.subjectCode === subject)!.authority;
    const res = await graphql<{ subject: { entries: unknown[] } }>(
      gateway.url,
      'query($c: ID!) { subject(code: $c) { entries { kind } } }',
      { c: subject },
      await fullReader(authority),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.subject.entries.length).toBeGreaterThan(0);

    for (const p of running.splice(0).reverse()) expect(await p.stop('SIGTERM')).toBe(0);
  }, 300_000);
});
