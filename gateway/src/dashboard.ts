/**
 * The dashboard (issue 22), served by the gateway at /dashboard: the 15 indicators of a scope and year against their
 * targets, a heat map of the child scopes (the region's municipalities, a municipality's organizations), the trend of
 * an indicator over five years, and a builder of `statistics` requests with a chart and a CSV download.
 *
 * No CDN: the page, its script and Apache ECharts (the `echarts` package's dist build) are served from this process
 * out of the repository and node_modules. Signed in as GraphiQL is: a token in the URL (`/dashboard?token=…`, as
 * `npm start` prints for GraphiQL), which the page keeps in the tab's sessionStorage and sends as
 * `Authorization: Bearer` to /graphql; without one it asks for a token to paste. Every figure on the page comes from
 * the graph with the caller's token: the page holds no data of its own.
 *
 * Routes:
 *   GET /dashboard                 the page
 *   GET /dashboard/assets/<name>   dashboard.js, dashboard.css, echarts.min.js (long cache, versioned URLs)
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import { escapeHtml } from './graphiql';

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;
const pageDir = path.join(__dirname, '..', 'dashboard');

function assets(): Record<string, { file: string; contentType: string }> {
  const echarts = path.join(path.dirname(require.resolve('echarts/package.json')), 'dist', 'echarts.min.js');
  const found = {
    'echarts.min.js': { file: echarts, contentType: 'text/javascript; charset=utf-8' },
    'dashboard.js': { file: path.join(pageDir, 'dashboard.js'), contentType: 'text/javascript; charset=utf-8' },
    'dashboard.css': { file: path.join(pageDir, 'dashboard.css'), contentType: 'text/css; charset=utf-8' },
  };
  for (const [name, asset] of Object.entries(found)) {
    if (!fs.existsSync(asset.file)) throw new Error(`dashboard: asset ${name} not found at ${asset.file}`);
  }
  return found;
}

function version(): string {
  const echarts = JSON.parse(fs.readFileSync(require.resolve('echarts/package.json'), 'utf8')) as { version: string };
  const own = fs.statSync(path.join(pageDir, 'dashboard.js')).mtimeMs.toString(36);
  return `${echarts.version}-${own}`;
}

function page(assetBase: string, v: string): string {
  const asset = (name: string) => escapeHtml(`${assetBase}/${name}?v=${encodeURIComponent(v)}`);
  return `<!doctype html>
<html lang="ru">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <link rel="icon" href="data:," />
    <title>Показатели и статистика — методическая служба</title>
    <link rel="stylesheet" href="${asset('dashboard.css')}" />
  </head>
  <body>
    <header>
      <h1>Показатели эффективности и статистика</h1>
      <form id="controls">
        <label>Область <select id="scope"></select></label>
        <label>Учебный год <select id="year"></select></label>
        <span id="signed-in"></span>
      </form>
      <form id="sign-in" hidden>
        <label>Токен (Bearer) <input id="token" type="password" autocomplete="off" size="60" /></label>
        <button type="submit">Войти</button>
      </form>
      <p id="error" role="alert" hidden></p>
    </header>
    <main>
      <section id="indicators-section">
        <h2>15 показателей: значение и цель</h2>
        <div class="two">
          <table id="indicators-table"><thead><tr><th>№</th><th>Показатель</th><th>Значение</th><th>Цель</th><th>Выполнено</th></tr></thead><tbody></tbody></table>
          <div id="indicators-chart" class="chart"></div>
        </div>
      </section>
      <section id="heatmap-section">
        <h2>Тепловая карта: <span id="heatmap-title">муниципалитеты</span></h2>
        <p class="note">Цвет ячейки — значение относительно остальных в столбце (светлее — меньше, темнее — больше); рамка — цель не выполнена.</p>
        <div class="scroll"><table id="heatmap"><thead></thead><tbody></tbody></table></div>
      </section>
      <section id="trend-section">
        <h2>Динамика показателя</h2>
        <label>Показатель <select id="trend-indicator"></select></label>
        <div id="trend-chart" class="chart"></div>
      </section>
      <section id="builder-section">
        <h2>Конструктор статистики</h2>
        <form id="builder">
          <label>Что считать <select id="subject"></select></label>
          <label>Мера <select id="measure"></select></label>
          <label>Группировать по <select id="group1"></select></label>
          <label>и по <select id="group2"></select></label>
          <button type="submit" id="run">Построить</button>
          <a id="csv" download="statistics.csv" hidden>Скачать CSV</a>
          <button type="button" id="xlsx" hidden>Скачать XLSX</button>
        </form>
        <p id="builder-note" class="note"></p>
        <div class="two">
          <div class="scroll"><table id="builder-table"><thead></thead><tbody></tbody><tfoot></tfoot></table></div>
          <div id="builder-chart" class="chart"></div>
        </div>
      </section>
    </main>
    <script src="${asset('echarts.min.js')}"></script>
    <script src="${asset('dashboard.js')}"></script>
  </body>
</html>
`;
}

export function dashboardRouter(options: { endpoint?: string } = {}): Router {
  const router = express.Router();
  const files = assets();
  const v = version();
  router.get('/dashboard', (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-cache');
    res.set('X-Content-Type-Options', 'nosniff');
    // The page talks to /graphql of the same origin only.
    res.set('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' blob:; frame-ancestors 'none'");
    res.type('html').send(page(`${req.baseUrl}/dashboard/assets`, v).replace('<body>', `<body data-endpoint="${escapeHtml(options.endpoint ?? '/graphql')}">`));
  });
  router.get('/dashboard/assets/:asset', (req: Request, res: Response, next) => {
    const name = req.params.asset;
    const asset = typeof name === 'string' && Object.hasOwn(files, name) ? files[name as keyof typeof files] : undefined;
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
