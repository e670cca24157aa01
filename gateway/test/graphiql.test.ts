import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { escapeHtml, graphiqlRouter, jsonForScript } from '../src/graphiql';

function close(s: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    s.close((err) => (err ? reject(err) : resolve()));
    // fetch keeps connections alive; drop them so close() returns promptly.
    s.closeAllConnections();
  });
}

describe('graphiqlRouter', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = express();
    app.use(graphiqlRouter({ endpoint: '/graphql' }));
    // Stands in for the GraphQL handler that a non-HTML GET must reach.
    app.get('/', (_req, res) => {
      res.json({ fellThrough: true });
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const { port } = server.address() as AddressInfo;
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await close(server);
  });

  async function page(): Promise<string> {
    const res = await fetch(`${base}/`, { headers: { Accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    return res.text();
  }

  function referencedUrls(html: string): string[] {
    const urls: string[] = [];
    for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]*)"/g)) urls.push(m[1]);
    for (const m of html.matchAll(/<link\b[^>]*\bhref="([^"]*)"/g)) urls.push(m[1]);
    return urls.map((u) => u.replace(/&amp;/g, '&'));
  }

  test('serves the page with only local script and stylesheet URLs', async () => {
    const html = await page();
    expect(html).toContain('<title>Methodological service graph</title>');
    expect(html).toContain('GraphiQL.createFetcher');
    expect(html).toContain('defaultHeaders');
    expect(html).toContain('Authorization');
    expect(html).toContain('municipalities');

    const urls = referencedUrls(html);
    expect(urls).toHaveLength(4);
    for (const url of urls) {
      expect(url).toMatch(/^\/graphiql\//);
      expect(url).not.toMatch(/^[a-z]+:|^\/\//i);
    }
    // No remote host anywhere in a src/href attribute.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    const paths = urls.map((u) => new URL(u, base).pathname).sort();
    expect(paths).toEqual([
      '/graphiql/graphiql.css',
      '/graphiql/graphiql.min.js',
      '/graphiql/react-dom.production.min.js',
      '/graphiql/react.production.min.js',
    ]);
  });

  test('serves every referenced asset with the right content type and a long cache', async () => {
    const urls = referencedUrls(await page());
    for (const url of urls) {
      const res = await fetch(new URL(url, base));
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body.length).toBeGreaterThan(1000);
      const expected = url.includes('.css') ? /^text\/css/ : /^(text|application)\/javascript/;
      expect(res.headers.get('content-type')).toMatch(expected);
      expect(res.headers.get('cache-control')).toMatch(/max-age=\d{6,}/);
    }
  });

  test('GraphiQL bundle exposes the global the page uses', async () => {
    const res = await fetch(`${base}/graphiql/graphiql.min.js`);
    const body = await res.text();
    expect(body).toContain('.GraphiQL=');
  });

  test('unknown assets are not served', async () => {
    const res = await fetch(`${base}/graphiql/package.json`);
    expect(res.status).toBe(404);
    await res.text();
  });

  test('a non-HTML GET falls through to the next handler', async () => {
    for (const accept of ['application/json', 'application/graphql-response+json, application/json', '*/*']) {
      const res = await fetch(`${base}/`, { headers: { Accept: accept } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ fellThrough: true });
    }
  });

  test('a browser-like Accept header gets the page', async () => {
    const res = await fetch(`${base}/?token=abc`, {
      headers: { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    await res.text();
  });

  test('asset URLs follow the mount path', async () => {
    const app = express();
    app.use('/graphql', graphiqlRouter({ endpoint: '/graphql' }));
    const s = await new Promise<Server>((resolve) => {
      const srv = app.listen(0, '127.0.0.1', () => resolve(srv));
    });
    try {
      const { port } = s.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { Accept: 'text/html' } });
      const urls = referencedUrls(await res.text());
      expect(urls.every((u) => u.startsWith('/graphql/graphiql/'))).toBe(true);
      const css = await fetch(`http://127.0.0.1:${port}${urls.find((u) => u.includes('.css'))}`);
      expect(css.status).toBe(200);
      expect((await css.text()).length).toBeGreaterThan(0);
    } finally {
      await close(s);
    }
  });

  test('escapes interpolated values', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const json = jsonForScript({ endpoint: '</script><script>alert(1)</script>' });
    expect(json).not.toContain('<');
    expect(JSON.parse(json)).toEqual({ endpoint: '</script><script>alert(1)</script>' });
  });

  test('an endpoint with markup cannot break out of the inline script', async () => {
    const app = express();
    app.use(graphiqlRouter({ endpoint: '/x</script><script>alert(1)</script>', title: '<b>t</b>' }));
    const s = await new Promise<Server>((resolve) => {
      const srv = app.listen(0, '127.0.0.1', () => resolve(srv));
    });
    try {
      const { port } = s.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { Accept: 'text/html' } });
      const html = await res.text();
      expect(html).not.toContain('alert(1)</script>');
      expect(html).toContain('<title>&lt;b&gt;t&lt;/b&gt;</title>');
    } finally {
      await close(s);
    }
  });
});
