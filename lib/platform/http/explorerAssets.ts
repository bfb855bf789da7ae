import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { EXPLORER_CSS, EXPLORER_SCRIPT } from './explorerPage.js';

/** One file the explorer's page loads, served from memory under a URL that changes with its content. */
export interface Asset {
  /** The path it is served at: `/explorer/assets/<hash>/<name>`, so a browser may keep it for a year. */
  path: string;
  contentType: string;
  body: Buffer;
  /** Compressed on first request (the GraphiQL bundle is 3.5 MB, about a quarter of that gzipped). */
  gzipped(): Promise<Buffer>;
}

export interface ExplorerAssets {
  react: Asset;
  reactDom: Asset;
  graphiql: Asset;
  graphiqlCss: Asset;
  script: Asset;
  css: Asset;
  byPath: ReadonlyMap<string, Asset>;
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/**
 * Where the vendor builds are: GraphiQL 3's UMD bundle (its last line with one; it needs no bundler, and its fonts are
 * inlined as data: URLs) and React 18's UMD production builds, read from the installed packages (production
 * dependencies, so the image has them). Throws at once when one is missing.
 */
export function locateExplorerFiles(): { react: string; reactDom: string; graphiql: string; graphiqlCss: string } {
  const require = createRequire(import.meta.url);
  // resolved through package.json: React's "exports" do not list its umd/ folder
  const dirOf = (name: string) => dirname(require.resolve(`${name}/package.json`));
  return {
    react: join(dirOf('react'), 'umd/react.production.min.js'),
    reactDom: join(dirOf('react-dom'), 'umd/react-dom.production.min.js'),
    graphiql: join(dirOf('graphiql'), 'graphiql.min.js'),
    graphiqlCss: join(dirOf('graphiql'), 'graphiql.min.css'),
  };
}

let loaded: ExplorerAssets | null = null;

/** The explorer's files, read once per process. */
export function explorerAssets(): ExplorerAssets {
  if (loaded) return loaded;
  const files = locateExplorerFiles();
  const read = (file: string) => withoutSourceMap(readFileSync(file, 'utf8'));
  const assets = {
    react: asset('react.js', JS, read(files.react)),
    reactDom: asset('react-dom.js', JS, read(files.reactDom)),
    graphiql: asset('graphiql.js', JS, read(files.graphiql)),
    graphiqlCss: asset('graphiql.css', CSS, offline(read(files.graphiqlCss))),
    script: asset('explorer.js', JS, EXPLORER_SCRIPT),
    css: asset('explorer.css', CSS, EXPLORER_CSS),
  };
  loaded = { ...assets, byPath: new Map(Object.values(assets).map((a) => [a.path, a])) };
  return loaded;
}

function asset(name: string, contentType: string, text: string): Asset {
  const body = Buffer.from(text, 'utf8');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  let compressed: Promise<Buffer> | null = null;
  return { path: `/explorer/assets/${hash}/${name}`, contentType, body, gzipped: () => (compressed ??= promisify(gzip)(body)) };
}

/** The closing `//# name=value` comment names the source map, which the browser's developer tools would ask for: it is not served. */
function withoutSourceMap(text: string): string {
  return text.replace(/\n?(?:\/\/# \w+=\S+|\/\*# \w+=\S+?\s*\*\/)\s*$/, '\n');
}

/**
 * The stylesheet with anything that would be fetched from elsewhere removed: `@import`s and `url()`s of another
 * host (none in GraphiQL 3.8, whose fonts are data: URLs; a later version must not bring one in unseen).
 */
export function offline(css: string): string {
  return css.replace(/@import\s+(?:url\()?\s*['"]?(?:https?:)?\/\/[^;]*;/gi, '').replace(/url\(\s*(['"]?)(?:https?:)?\/\/[^)]*\1\s*\)/gi, 'none');
}
