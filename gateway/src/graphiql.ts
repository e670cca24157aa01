/**
 * Self-hosted GraphiQL for the gateway.
 *
 * Everything the page needs (React, ReactDOM, GraphiQL and its stylesheet) is
 * served from this process out of node_modules: the machines this runs on
 * have no internet access, so no CDN is ever referenced.
 *
 * Routes (relative to where the router is mounted):
 *   GET /                         the GraphiQL page, only for requests that
 *                                 prefer text/html (browsers); anything else
 *                                 (a GraphQL GET, curl with Accept: *\/*) is
 *                                 passed on with next()
 *   GET /graphiql/<asset>         the static assets, with a long cache header
 *
 * A bearer token can be passed in the page URL (`/?token=...`); the browser
 * reads it and prefills GraphiQL's "Headers" editor with
 * `{"Authorization": "Bearer <token>"}`.
 */
import path from 'node:path';
import fs from 'node:fs';
import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';

export interface GraphiqlOptions {
  /** URL of the GraphQL endpoint the page talks to, e.g. `/graphql`. */
  endpoint: string;
  /** Page title; defaults to "Methodological service graph". */
  title?: string;
}

interface Asset {
  file: string;
  contentType: string;
}

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

function readVersion(name: string): string {
  const pkg = JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? '0';
}

/** Resolves the asset files once; throws at startup if a package is missing. */
function resolveAssets(): Record<string, Asset> {
  const js = 'text/javascript; charset=utf-8';
  const assets: Record<string, Asset> = {
    'react.production.min.js': {
      file: path.join(packageDir('react'), 'umd', 'react.production.min.js'),
      contentType: js,
    },
    'react-dom.production.min.js': {
      file: path.join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
      contentType: js,
    },
    'graphiql.min.js': {
      file: path.join(packageDir('graphiql'), 'dist', 'index.umd.js'),
      contentType: js,
    },
    'graphiql.css': {
      file: path.join(packageDir('graphiql'), 'dist', 'style.css'),
      contentType: 'text/css; charset=utf-8',
    },
  };
  for (const [name, asset] of Object.entries(assets)) {
    if (!fs.existsSync(asset.file)) {
      throw new Error(`graphiql: asset ${name} not found at ${asset.file}`);
    }
  }
  return assets;
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JSON that is safe to embed inside an inline <script> element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const DEFAULT_QUERY = `# Methodological service graph
#
# Requests need a bearer token: put it in the
# "Headers" tab below as
#   {"Authorization": "Bearer <token>"}
# (prefilled when the URL has ?token=...).
# Run with the play button or Ctrl-Enter.

{
  municipalities {
    id
    name
    organizations {
      name
    }
  }
}
`;

function renderPage(params: { title: string; endpoint: string; assetBase: string; version: string }): string {
  const { title, endpoint, assetBase, version } = params;
  const asset = (name: string): string => escapeHtml(`${assetBase}/${name}?v=${encodeURIComponent(version)}`);
  const config = jsonForScript({ endpoint, defaultQuery: DEFAULT_QUERY });
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>${escapeHtml(title)}</title>
    <link rel="stylesheet" href="${asset('graphiql.css')}" />
    <style>
      html, body { height: 100%; margin: 0; }
      #graphiql { height: 100vh; }
    </style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script src="${asset('react.production.min.js')}"></script>
    <script src="${asset('react-dom.production.min.js')}"></script>
    <script src="${asset('graphiql.min.js')}"></script>
    <script>
      (function () {
        var config = ${config};
        var params = new URLSearchParams(window.location.search);
        var token = params.get('token');
        var defaultHeaders = token
          ? JSON.stringify({ Authorization: 'Bearer ' + token }, null, 2)
          : '{\\n  "Authorization": "Bearer "\\n}';
        var endpoint = new URL(config.endpoint, window.location.href).toString();
        // The headers template holds an empty "Bearer " until a token is pasted:
        // don't send that (an absent header reads better server-side than a malformed one).
        var fetchWithoutEmptyBearer = function (input, init) {
          if (init && init.headers && !(init.headers instanceof Headers)) {
            var headers = Object.assign({}, init.headers);
            Object.keys(headers).forEach(function (name) {
              if (name.toLowerCase() === 'authorization' && String(headers[name]).trim().toLowerCase() === 'bearer') {
                delete headers[name];
              }
            });
            init = Object.assign({}, init, { headers: headers });
          }
          return window.fetch(input, init);
        };
        var fetcher = GraphiQL.createFetcher({ url: endpoint, fetch: fetchWithoutEmptyBearer });
        var root = ReactDOM.createRoot(document.getElementById('graphiql'));
        root.render(
          React.createElement(GraphiQL, {
            fetcher: fetcher,
            defaultQuery: config.defaultQuery,
            defaultHeaders: defaultHeaders,
            defaultEditorToolsVisibility: 'headers',
            shouldPersistHeaders: false,
          }),
        );
      })();
    </script>
  </body>
</html>
`;
}

/** Whether the client prefers an HTML page over a GraphQL (JSON) response. */
function prefersHtml(req: Request): boolean {
  return req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

export function graphiqlRouter(options: GraphiqlOptions): Router {
  const router = express.Router();
  const assets = resolveAssets();
  const version = readVersion('graphiql');
  const title = options.title ?? 'Methodological service graph';

  router.get('/', (req: Request, res: Response, next: NextFunction) => {
    if (!prefersHtml(req)) {
      next();
      return;
    }
    res.set('Cache-Control', 'no-cache');
    res.vary('Accept');
    res.set('X-Content-Type-Options', 'nosniff');
    res.type('html').send(
      renderPage({ title, endpoint: options.endpoint, assetBase: `${req.baseUrl}/graphiql`, version }),
    );
  });

  router.get('/graphiql/:asset', (req: Request, res: Response, next: NextFunction) => {
    const name = req.params.asset;
    const asset = typeof name === 'string' && Object.hasOwn(assets, name) ? assets[name] : undefined;
    if (!asset) {
      next();
      return;
    }
    res.set('Content-Type', asset.contentType);
    res.set('X-Content-Type-Options', 'nosniff');
    res.sendFile(asset.file, { maxAge: ONE_YEAR_MS, immutable: true }, (err) => {
      if (err && !res.headersSent) next(err);
    });
  });

  return router;
}
