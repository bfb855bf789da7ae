import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { Kind, parse, valueFromASTUntyped, visit } from 'graphql';
import { renderDocs } from '../../scripts/docs/render.js';
import { COMPOSED, subgraphSdl } from '../../schema/files.js';
import { isRuleId } from './rules.js';
import { Scope } from './scopes.js';
import { ENTRY_STATUSES, EXIT_WAYS, LIST_KINDS, RECIPIENT_KINDS, RESPONSIBLE_ROLES, SEVERITIES, SUBJECT_KINDS } from './vocabulary.js';

const root = new URL('../../', import.meta.url).pathname;
/** The tree as it is on disk: tracked and new files (a file deleted but not yet committed is listed by git too). */
const tree = execSync('git ls-files -co --exclude-standard', { cwd: root })
  .toString()
  .split('\n')
  .filter((f) => f && existsSync(join(root, f)));
const files = tree.filter((f) => f.endsWith('.ts'));
const isTest = (f: string) => f.endsWith('.test.ts') || f.startsWith('test/');

/** Every relative import of the tree: [importer, imported] as paths from the root. */
const imports = files.flatMap((file) =>
  [...readFileSync(join(root, file), 'utf8').matchAll(/from '(\.[^']+)'/g)].map(
    (m) => [file, normalize(join(dirname(file), m[1]!)).replace(/\.js$/, '.ts')] as const,
  ),
);

describe('the structure the code keeps', () => {
  const subgraphOf = (f: string) => /^subgraphs\/([^/]+)\//.exec(f)?.[1];

  test('no subgraph imports another subgraph: what they share is in lib/contracts', () => {
    expect(imports.filter(([from, to]) => subgraphOf(from) && subgraphOf(to) && subgraphOf(from) !== subgraphOf(to))).toEqual([]);
  });

  test('the platform (lib/platform) imports nothing of the domain (lib/domain) or the demonstration data (lib/demo)', () => {
    expect(imports.filter(([from, to]) => from.startsWith('lib/platform/') && !isTest(from) && /^lib\/(domain|demo)\//.test(to))).toEqual([]);
  });

  test('production code imports nothing of the tests', () => {
    expect(imports.filter(([from, to]) => !isTest(from) && isTest(to))).toEqual([]);
  });
});

describe('the shared vocabulary and the SDLs agree', () => {
  const sdl = parse(COMPOSED.map((name) => subgraphSdl(name)).join('\n'));

  test("every scope an @access names is in the registry (or a bank's list scope)", () => {
    const named = new Set<string>();
    visit(sdl, {
      Directive(node) {
        if (node.name.value !== 'access') return;
        const scopes = node.arguments?.find((a) => a.name.value === 'scopes');
        if (scopes) for (const all of valueFromASTUntyped(scopes.value) as string[][]) for (const scope of all) named.add(scope);
      },
    });
    const registered = new Set<string>(Object.values(Scope));
    expect([...named].filter((s) => !registered.has(s) && !/^list:(RED|BLACK|FOCUS|WARNING)$/.test(s))).toEqual([]);
    expect(named.size).toBeGreaterThan(5);
  });

  test.each([
    ['SubjectKind', SUBJECT_KINDS],
    ['ListKind', LIST_KINDS],
    ['EntryStatus', ENTRY_STATUSES],
    ['ExitWay', EXIT_WAYS],
    ['Severity', SEVERITIES],
    ['ResponsibleRole', RESPONSIBLE_ROLES],
    ['RecipientKind', RECIPIENT_KINDS],
  ])("enum %s is the vocabulary's", (name, values) => {
    const enums = sdl.definitions.filter((d) => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === name);
    expect(enums.length).toBeGreaterThan(0);
    for (const e of enums) expect(e.kind === Kind.ENUM_TYPE_DEFINITION && e.values?.map((v) => v.name.value)).toEqual([...values]);
  });
});

describe('the rules and the documents', () => {
  test('every rule id the code, the SDLs and the tests cite is one the project states (lib/contracts/rules.ts)', () => {
    const cited = new Set<string>();
    const sources = tree.filter((f) => /\.(ts|graphql|sql)$/.test(f) && !f.startsWith('lib/contracts/rules'));
    for (const file of sources) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const m of text.matchAll(/\b(?:rules? |rule: '|test\(')((?:[LERA]\d{1,2}))\b/g)) cited.add(m[1]!);
      for (const m of text.matchAll(/\(([LERA]\d{1,2})(?:[a-d]?\)|,|\))/g)) cited.add(m[1]!);
    }
    expect(cited.size).toBeGreaterThan(20);
    expect([...cited].filter((id) => !isRuleId(id)).sort()).toEqual([]);
  });

  test.each(Object.entries(renderDocs()))('%s is what `npm run docs` writes from the code now', (path, text) => {
    expect(readFileSync(join(root, path), 'utf8') === text).toBe(true);
  });
});
