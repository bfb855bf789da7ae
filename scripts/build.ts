/**
 * `npm run build [-- <outDir>]`: the production build. Compiles the services and the operators' commands
 * (tsconfig.build.json) into dist/ (or outDir), then copies beside them the files they read relative to their own
 * module at run time — the SDL files, the SQL migrations, the calendar's year files — so that `node dist/…` finds
 * each where `tsx` finds it next to the source.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folders tsconfig.build.json compiles. */
const SOURCES = ['lib', 'schema', 'gateway', 'subgraphs', 'scripts'];
/** What the code reads at run time through `new URL(…, import.meta.url)`. */
const ASSETS = new Set(['.graphql', '.sql', '.json']);

const root = fileURLToPath(new URL('..', import.meta.url));
const out = resolve(process.argv[2] ?? join(root, 'dist'));

// the folder is emptied first (a deleted migration must not linger in it), so it may hold no source
const within = (path: string, dir: string) => path === dir || path.startsWith(dir + sep);
if (within(resolve(root), out) || [...SOURCES, 'test'].some((dir) => within(out, join(root, dir)))) {
  console.error(`build: refusing to empty ${out}: it holds the sources`);
  process.exit(2);
}
rmSync(out, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', out], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

let copied = 0;
for (const dir of SOURCES) {
  for (const file of readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })) {
    if (!ASSETS.has(extname(file))) continue;
    cpSync(join(root, dir, file), join(out, dir, file));
    copied++;
  }
}
console.log(`build: compiled into ${out}, with ${copied} files the code reads at run time`);
