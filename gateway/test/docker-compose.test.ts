/**
 * Structural checks of docker-compose.yml and the Dockerfile.
 *
 * No Docker engine runs where the tests run, so instead of starting the stack
 * this checks that the file is wired consistently: every subgraph folder is a
 * compose service with its own database URL, the gateway knows every
 * subgraph's URL, ports agree everywhere, start-up order uses conditions, and
 * every file a container would run exists in the repository. When the
 * `docker compose` CLI is installed (it works without an engine), its own
 * validation runs too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');
const DOCKERFILE = path.join(ROOT, 'Dockerfile');

type Json = Record<string, unknown>;

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: Array<string | number | { target?: number | string; published?: number | string }>;
  restart?: string;
  volumes?: unknown[];
}

// Shared fragments are YAML anchors with `<<:` merge keys, which docker
// compose supports; parse them the same way.
const compose = parse(fs.readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as Json;
const services = (compose.services ?? {}) as Record<string, Service>;
const serviceNames = Object.keys(services);

/** Compose-style interpolation with defaults only (the host env is ignored, so the test is deterministic). */
function interpolate(value: string): string {
  return value
    .replace(/\$\$/g, '\u0000')
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?+]([^}]*))?\}/g, (_m, _name: string, def?: string) => def ?? '')
    .replace(/\u0000/g, '$');
}

function envOf(service: Service): Record<string, string> {
  const env: Record<string, string> = {};
  const raw = service.environment;
  if (Array.isArray(raw)) {
    for (const entry of raw) {
      const i = entry.indexOf('=');
      if (i > 0) env[entry.slice(0, i)] = interpolate(entry.slice(i + 1));
    }
  } else if (raw) {
    for (const [k, v] of Object.entries(raw)) env[k] = v == null ? '' : interpolate(String(v));
  }
  return env;
}

function asText(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(' ') : value;
}

function commandOf(service: Service): string {
  return interpolate(`${asText(service.entrypoint)} ${asText(service.command)}`.trim());
}

function healthTestOf(service: Service): string {
  return interpolate(asText(service.healthcheck?.test));
}

/** `services/<name>/src/main.ts` in a command: the subgraph that the service runs. */
function subgraphOf(service: Service): string | undefined {
  return /(?:^|[\s/])services\/([A-Za-z0-9_-]+)\/src\/main\.ts\b/.exec(commandOf(service))?.[1];
}

function envName(subgraph: string): string {
  return subgraph.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

function dependsOn(service: Service): Record<string, { condition?: string }> {
  const d = service.depends_on;
  if (!d) return {};
  if (Array.isArray(d)) return Object.fromEntries(d.map((name) => [name, {}]));
  return d;
}

function containerPorts(service: Service): number[] {
  return (service.ports ?? []).map((p) => {
    if (typeof p === 'object') return Number(p.target);
    // "[ip:]host:container[/proto]" or "container"
    const spec = interpolate(String(p)).replace(/\/(tcp|udp)$/, '');
    const parts = spec.split(':');
    return Number(parts[parts.length - 1]);
  });
}

/** Repository files named in a command line, e.g. `gateway/src/main.ts`. */
function referencedFiles(commandLine: string): string[] {
  const files = commandLine.match(/(?:\.\/)?[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*\.(?:ts|js|mjs|cjs)\b/g) ?? [];
  return files.map((f) => f.replace(/^\.\//, '')).filter((f) => f.includes('/'));
}

function buildContext(service: Service): string | undefined {
  if (service.build === undefined) return undefined;
  return typeof service.build === 'string' ? service.build : (service.build.context ?? '.');
}

const appServices = serviceNames.filter((n) => n !== 'postgres');
const builtImages = new Set(
  appServices
    .filter((n) => services[n].build !== undefined && services[n].image)
    .map((n) => services[n].image as string),
);

const subgraphFolders = fs.existsSync(path.join(ROOT, 'services'))
  ? fs
      .readdirSync(path.join(ROOT, 'services'), { withFileTypes: true })
      // A subgraph is a folder with its schema: a package still being built is not one yet.
      .filter((d) => d.isDirectory() && !d.name.startsWith('.') && fs.existsSync(path.join(ROOT, 'services', d.name, 'schema.graphql')))
      .map((d) => d.name)
      .sort()
  : [];

const subgraphServices = serviceNames.filter((n) => subgraphOf(services[n]) !== undefined);

const dockerfileText = fs.existsSync(DOCKERFILE) ? fs.readFileSync(DOCKERFILE, 'utf8') : '';

/** The JSON-array or shell form of the last CMD / ENTRYPOINT instructions. */
function dockerfileInstruction(name: 'CMD' | 'ENTRYPOINT'): string {
  const lines = dockerfileText.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  const found = lines.filter((l) => new RegExp(`^\\s*${name}\\s`, 'i').test(l)).pop();
  if (!found) return '';
  const arg = found.trim().slice(name.length).trim();
  try {
    const parsed: unknown = JSON.parse(arg);
    return Array.isArray(parsed) ? parsed.join(' ') : String(parsed);
  } catch {
    return arg;
  }
}

const filesRunByContainers = [
  ...new Set([
    ...referencedFiles(`${dockerfileInstruction('ENTRYPOINT')} ${dockerfileInstruction('CMD')}`),
    ...serviceNames.flatMap((n) => referencedFiles(commandOf(services[n]))),
  ]),
].sort();

describe('docker-compose.yml', () => {
  test('defines postgres, migrate, gateway and at least one subgraph', () => {
    expect(serviceNames).toEqual(expect.arrayContaining(['postgres', 'migrate', 'gateway']));
    expect(subgraphServices.length).toBeGreaterThan(0);
  });

  test('postgres: postgres 18 image, mms database, persistent volume, pg_isready healthcheck', () => {
    const pg = services.postgres;
    expect(pg.image).toMatch(/^postgres:18\b/);
    const env = envOf(pg);
    expect(env.POSTGRES_DB).toBe('mms');
    expect(env.POSTGRES_PASSWORD).toBeTruthy();
    expect(pg.volumes?.length).toBeGreaterThan(0);
    expect(healthTestOf(pg)).toContain('pg_isready');
  });

  test('every application service runs the image built from the repository', () => {
    expect(builtImages.size).toBeLessThanOrEqual(1);
    for (const name of appServices) {
      const s = services[name];
      const context = buildContext(s);
      if (context !== undefined) {
        expect({ name, context: path.resolve(ROOT, context) }).toEqual({ name, context: ROOT });
        const dockerfile = typeof s.build === 'object' && s.build.dockerfile ? s.build.dockerfile : 'Dockerfile';
        expect(path.resolve(ROOT, context, dockerfile)).toBe(DOCKERFILE);
      } else {
        expect({ name, image: s.image }).toEqual({ name, image: expect.any(String) });
        expect(builtImages.has(s.image as string)).toBe(true);
      }
    }
  });

  test('every long-running service has a healthcheck', () => {
    for (const name of serviceNames.filter((n) => n !== 'migrate')) {
      const s = services[name];
      expect({ name, disabled: s.healthcheck?.disable ?? false }).toEqual({ name, disabled: false });
      expect({ name, test: healthTestOf(s) }).toEqual({ name, test: expect.stringMatching(/\S/) });
    }
  });

  test('every long-running service (postgres, each subgraph, the gateway) restarts after a crash; the one-shot migrate does not', () => {
    const longRunning = serviceNames.filter((name) => name !== 'migrate');
    expect(longRunning).toEqual(expect.arrayContaining(['postgres', 'gateway', ...subgraphServices]));
    for (const name of longRunning) {
      expect({ name, restart: services[name].restart }).toEqual({ name, restart: expect.stringMatching(/^(unless-stopped|always|on-failure(:\d+)?)$/) });
    }
    expect(services.migrate.restart).toBe('no');
  });

  test('every depends_on names an existing service and uses a matching condition', () => {
    for (const name of serviceNames) {
      expect({ name, shortForm: Array.isArray(services[name].depends_on) }).toEqual({ name, shortForm: false });
      for (const [target, spec] of Object.entries(dependsOn(services[name]))) {
        const where = `${name} -> ${target}`;
        expect({ where, exists: target in services }).toEqual({ where, exists: true });
        expect({ where, condition: spec.condition }).toEqual({
          where,
          condition: expect.stringMatching(/^service_(healthy|completed_successfully|started)$/),
        });
        if (spec.condition === 'service_healthy') {
          expect({ where, targetHealthcheck: healthTestOf(services[target]) !== '' }).toEqual({
            where,
            targetHealthcheck: true,
          });
        }
        if (spec.condition === 'service_completed_successfully') {
          expect({ where, targetRestart: services[target].restart }).toEqual({ where, targetRestart: 'no' });
        }
      }
    }
  });

  test('migrate: one-shot job with the admin URL that migrates then seeds, after postgres is healthy', () => {
    const m = services.migrate;
    const cmd = commandOf(m);
    expect(cmd).toMatch(/scripts\/migrate\.ts up\b/);
    expect(cmd).toMatch(/scripts\/seed\.ts\b/);
    expect(cmd.indexOf('scripts/migrate.ts')).toBeLessThan(cmd.indexOf('scripts/seed.ts'));
    expect(envOf(m).DATABASE_URL).toMatch(/^postgres(ql)?:\/\/postgres:[^@]*@postgres:5432\/mms$/);
    expect(m.restart).toBe('no');
    expect(dependsOn(m).postgres?.condition).toBe('service_healthy');
  });

  test.each(subgraphServices)('subgraph service %s: own database URL, PORT, health probe, auth settings', (name) => {
    const s = services[name];
    const subgraph = subgraphOf(s) as string;
    const env = envOf(s);
    const dbUrl = env[`${envName(subgraph)}_DATABASE_URL`];
    expect(dbUrl).toBeDefined();
    const url = new URL(dbUrl);
    expect(url.protocol).toMatch(/^postgres(ql)?:$/);
    expect(url.hostname).toBe('postgres');
    expect(url.pathname).toBe('/mms');
    // Its own role, not the superuser.
    expect(url.username).not.toBe('postgres');

    expect(env.PORT).toMatch(/^\d+$/);
    expect(healthTestOf(s)).toContain(`localhost:${env.PORT}/ready`);
    expect(env.AUTH_ISSUER).toBeTruthy();
    expect(env.AUTH_AUDIENCE).toBeTruthy();
    expect('AUTH_JWKS_URL' in env).toBe(true);
    // The cursors' key, the same variable for every subgraph (empty: the dev key in the shared volume).
    expect('CURSOR_SECRET' in env).toBe(true);
    expect(dependsOn(s).migrate?.condition).toBe('service_completed_successfully');
  });

  test('subgraph ports are distinct', () => {
    const ports = [...subgraphServices, 'gateway'].map((n) => envOf(services[n]).PORT);
    expect(new Set(ports).size).toBe(ports.length);
  });

  test('gateway: PORT, published port and health probe agree; same auth settings as the subgraphs', () => {
    const g = services.gateway;
    expect(commandOf(g)).toMatch(/gateway\/src\/main\.ts\b/);
    const env = envOf(g);
    expect(env.PORT).toMatch(/^\d+$/);
    expect(containerPorts(g)).toContain(Number(env.PORT));
    expect(healthTestOf(g)).toContain(`localhost:${env.PORT}/ready`);
    for (const name of subgraphServices) {
      const sub = envOf(services[name]);
      for (const key of ['AUTH_JWKS_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE']) {
        expect({ name, key, value: env[key] }).toEqual({ name, key, value: sub[key] });
      }
    }
  });

  test('services/ has at least one subgraph folder', () => {
    expect(subgraphFolders.length).toBeGreaterThan(0);
  });

  test.each(subgraphFolders)('subgraph folder services/%s is a compose service the gateway reaches', (folder) => {
    const running = subgraphServices.filter((n) => subgraphOf(services[n]) === folder);
    expect({ folder, services: running.length }).toEqual({ folder, services: 1 });
    const serviceName = running[0];
    const port = envOf(services[serviceName]).PORT;

    const gw = services.gateway;
    const key = `${envName(folder)}_URL`;
    const value = envOf(gw)[key];
    expect({ key, value }).toEqual({ key, value: expect.any(String) });
    const url = new URL(value);
    expect(url.hostname).toBe(serviceName);
    expect(url.port).toBe(port);
    expect(url.pathname).toBe('/graphql');
    expect(dependsOn(gw)[serviceName]?.condition).toBe('service_healthy');
  });

  test('every <NAME>_URL of the gateway points at a compose service', () => {
    const env = envOf(services.gateway);
    for (const [key, value] of Object.entries(env)) {
      if (!/_URL$/.test(key) || key.startsWith('AUTH_') || value === '') continue;
      const host = new URL(value).hostname;
      expect({ key, host, known: host in services }).toEqual({ key, host, known: true });
    }
  });

  test('`docker compose config` accepts the file (when the CLI is installed)', () => {
    const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8', timeout: 20_000 });
    if (probe.error || probe.status !== 0) {
      // Not installed here: the structural checks above still ran (said quietly: Jest's console is for failures).
      expect(probe.error ?? probe.status).toBeTruthy();
      return;
    }
    const res = spawnSync('docker', ['compose', '-f', COMPOSE_FILE, 'config', '-q'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ status: res.status, stderr: res.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
  }, 90_000);
});

describe('Dockerfile', () => {
  test('exists and builds a non-root image on Node 24 (a version CI tests) with npm ci', () => {
    expect(fs.existsSync(DOCKERFILE)).toBe(true);
    expect(dockerfileText).toMatch(/^FROM\s+node:24-bookworm-slim\b/im);
    expect(dockerfileText).toMatch(/\bnpm ci\b/);
    const users = [...dockerfileText.matchAll(/^USER\s+(\S+)/gim)].map((m) => m[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).toBe('node');
    expect(dockerfileInstruction('CMD') + dockerfileInstruction('ENTRYPOINT')).toMatch(/--import tsx/);
  });

  test('.dockerignore keeps host-only files out of the build context', () => {
    const ignore = fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split(/\r?\n/).map((l) => l.trim());
    expect(ignore).toEqual(expect.arrayContaining(['node_modules', '.data', '.git', 'coverage']));
  });

  test('containers run at least the gateway, a subgraph, migrate and seed', () => {
    expect(filesRunByContainers).toEqual(
      expect.arrayContaining(['gateway/src/main.ts', 'scripts/migrate.ts', 'scripts/seed.ts']),
    );
    expect(filesRunByContainers.some((f) => /^services\/[^/]+\/src\/main\.ts$/.test(f))).toBe(true);
  });

  test.each(filesRunByContainers)('file run by a container exists in the repository: %s', (file) => {
    expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
  });
});
