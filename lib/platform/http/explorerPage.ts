/**
 * The explorer's own page, script and stylesheet. They are code rather than files beside it so that the production
 * build, which compiles TypeScript and copies only the data files the services read, carries them without a step of its own.
 */

/**
 * Nothing but this server: the page's scripts, styles, requests; fonts and icons inlined as data: URLs. Inline styles
 * are allowed: GraphiQL's dialogs add a <style> element whose text varies with the scrollbar's width, so no hash fits,
 * and a style can fetch nothing from elsewhere when images and fonts may come only from here.
 */
export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The answer to a browser where no explorer is served: loads nothing at all. */
export const NO_EXPLORER_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The page; `assets` are the paths of its files, made relative so that it also works behind a proxy's path prefix. */
export function explorerHtml(assets: { styles: string[]; scripts: string[] }): string {
  const relative = (path: string) => `.${path}`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>GraphQL explorer</title>
    <link rel="icon" href="data:," />
${assets.styles.map((s) => `    <link rel="stylesheet" href="${relative(s)}" />`).join('\n')}
  </head>
  <body>
    <div id="graphiql">Loading the explorer…</div>
    <noscript>The explorer needs JavaScript.</noscript>
${assets.scripts.map((s) => `    <script src="${relative(s)}"></script>`).join('\n')}
  </body>
</html>
`;
}

export const NO_EXPLORER_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>No explorer here</title>
  </head>
  <body>
    <p>No explorer is served here. Send GraphQL requests to this address with POST and <code>content-type: application/json</code>.</p>
  </body>
</html>
`;

export const EXPLORER_CSS = `html, body { height: 100%; margin: 0; }
#graphiql { height: 100vh; }
`;

const DEFAULT_QUERY = `# Write a query, run it with ▶ (Ctrl-Enter).
# The schema's documentation: the book icon.
#
# Without a token you see the public view.
# Under Headers below: your access token after
# "Bearer " in Authorization, and the purpose of
# a read of personal data in X-Credit-Purpose.
# A header left blank is not sent; headers are
# never stored by this page.
{
  __typename
}
`;

/**
 * Starts GraphiQL (the UMD globals React, ReactDOM and GraphiQL): posts to this server's /graphql, the headers
 * editor open with the token and purpose to fill in, nothing kept beyond the browser tab (sessionStorage), and the
 * headers typed in not even there (GraphiQL's history would keep them whatever shouldPersistHeaders says).
 */
export const EXPLORER_SCRIPT = `'use strict';
(function () {
  var template = JSON.stringify({ Authorization: 'Bearer ', 'X-Credit-Purpose': '' }, null, 2);
  // the template's blanks are not sent: it runs as the public view until a token is pasted in
  function filled(headers) {
    var kept = {};
    Object.keys(headers || {}).forEach(function (name) {
      var value = String(headers[name]).trim();
      if (value !== '' && !/^bearer$/i.test(value)) kept[name] = value;
    });
    return kept;
  }
  var fetcher = GraphiQL.createFetcher({
    url: 'graphql',
    fetch: function (url, init) {
      return window.fetch(url, Object.assign({}, init, { headers: filled(init && init.headers) }));
    },
  });
  // nothing stored holds headers typed in: the tabs keep none (as GraphiQL leaves them, its tab matching counts on
  // it), the history keeps the blank template, and the headers on their own are not stored at all
  function scrubbed(key, value) {
    if (key === 'graphiql:headers') return null;
    var blank = key === 'graphiql:tabState' ? null : template;
    try {
      return JSON.stringify(JSON.parse(value), function (name, v) {
        return name === 'headers' ? blank : v;
      });
    } catch (notJson) {
      return value;
    }
  }
  var storage = {
    getItem: function (key) { return window.sessionStorage.getItem(key); },
    setItem: function (key, value) {
      var kept = scrubbed(key, value);
      if (kept === null) window.sessionStorage.removeItem(key);
      else window.sessionStorage.setItem(key, kept);
    },
    removeItem: function (key) { window.sessionStorage.removeItem(key); },
    clear: function () { window.sessionStorage.clear(); },
    key: function (index) { return window.sessionStorage.key(index); },
    get length() { return window.sessionStorage.length; },
  };
  var props = {
    fetcher: fetcher,
    defaultQuery: ${JSON.stringify(DEFAULT_QUERY)},
    defaultHeaders: template,
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: 'headers',
    storage: storage,
  };
  var query = new URLSearchParams(window.location.search).get('query');
  if (query) props.query = query;
  ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, props));
})();
`;
