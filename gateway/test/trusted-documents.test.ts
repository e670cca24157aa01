import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeSupergraph, httpDataSources, readTrustedDocuments, startGatewayServer, subgraphs, trustedDocumentsFromEnv } from '@mms/gateway';
import { mintDevToken, repoRoot, startSubgraphServer, type RunningServer, type TokenRequest } from '@mms/platform';
import { staffSubgraph } from '@mms/staff';
import { createTestGraph, regionAdmin, type TestGraph } from '@mms/testing';
import { createMunicipality, createOrganization } from '../../services/staff/test/fixtures';

/**
 * Trusted documents (issue 17) through the real gateway over HTTP: gateway → staff subgraph → PostgreSQL. The
 * manifest is written by GraphQL Code Generator's client preset (`persistedDocuments: true`) from two documents
 * against the API schema (gateway/schema.graphql), as a front-end build would write it.
 */
let graph: TestGraph;
let staff: RunningServer;
let trusted: RunningServer;
let open: RunningServer;
let scratch: string;
let manifestFile: string;
let manifest: Record<string, string>;
let municipalityId: string;
let organizationId: string;

const documents = {
  'municipalities.graphql': 'query Municipalities { municipalities { id name } }',
  'organizations.graphql': 'query Organizations($id: ID!) { municipality(id: $id) { name organizations { id name } } }',
};

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'trusted-documents-'));
  for (const [file, text] of Object.entries(documents)) fs.writeFileSync(path.join(scratch, file), text);
  fs.writeFileSync(path.join(scratch, 'codegen.json'), JSON.stringify({
    schema: path.join(repoRoot, 'gateway/schema.graphql'),
    documents: [path.join(scratch, '*.graphql')],
    generates: { [`${path.join(scratch, 'gql')}/`]: { preset: 'client', presetConfig: { persistedDocuments: true } } },
  }));
  // The codegen CLI is ESM inside: it runs as a process of its own (as in generated.test.ts).
  execFileSync(path.join(repoRoot, 'node_modules/.bin/graphql-codegen'), ['--config', path.join(scratch, 'codegen.json'), '--silent'], { cwd: repoRoot, stdio: 'pipe' });
  manifestFile = path.join(scratch, 'gql', 'persisted-documents.json');
  manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));

  graph = await createTestGraph();
  const admin = graph.as(regionAdmin);
  municipalityId = (await createMunicipality(admin, { name: 'Город Доверенный' })).id;
  organizationId = (await createOrganization(admin, municipalityId, { name: 'Школа № 7' })).id;
  staff = await startSubgraphServer(staffSubgraph, graph.db.staff, 0);
  const common = { supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources(() => `${staff.url}/graphql`), port: 0 };
  trusted = await startGatewayServer({ ...common, trustedDocuments: readTrustedDocuments(manifestFile) });
  open = await startGatewayServer({ ...common, trustedDocuments: null });
}, 120_000);

afterAll(async () => {
  await trusted?.stop();
  await open?.stop();
  await staff?.stop();
  await graph?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const methodist = (): TokenRequest => ({ role: 'municipality_methodist', municipalityId });
const orgAdmin = (): TokenRequest => ({ role: 'organization_admin', organizationId });
const analyst: TokenRequest = { role: 'analyst' };
const integration = (): TokenRequest => ({ role: 'integration', municipalityId });

async function headers(token: TokenRequest | null): Promise<Record<string, string>> {
  return token ? { authorization: `Bearer ${await mintDevToken(token)}` } : {};
}

async function post(server: RunningServer, token: TokenRequest | null, body: unknown) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...(await headers(token)) }, body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
}

async function get(server: RunningServer, token: TokenRequest | null, params: Record<string, unknown>) {
  const url = new URL(`${server.url}/graphql`);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  const response = await fetch(url, { headers: { accept: 'application/graphql-response+json', ...(await headers(token)) } });
  return { status: response.status, body: await response.json() as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
}

const idOf = (text: string) => Object.entries(manifest).find(([, document]) => document.includes(text))![0];
const hexOf = (id: string) => id.replace(/^sha256:/, '');
const apollo = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });
const codeOf = (answer: { body: { errors?: { extensions?: { code?: string } }[] } }) => answer.body.errors?.[0]?.extensions?.code;

test('the client preset\'s manifest is what the gateway reads: sha256:<hex> of each document\'s text', () => {
  expect(Object.keys(manifest)).toHaveLength(2);
  for (const [id, document] of Object.entries(manifest)) {
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(hexOf(id)).toBe(createHash('sha256').update(document).digest('hex'));
  }
  const read = readTrustedDocuments(manifestFile);
  expect(read.count).toBe(2);
  const id = idOf('Municipalities');
  expect(read.lookup(id)).toBe(manifest[id]);
  expect(read.lookup(hexOf(id))).toBe(manifest[id]);
  expect(trustedDocumentsFromEnv({ PERSISTED_DOCUMENTS: manifestFile })?.count).toBe(2);
  expect(trustedDocumentsFromEnv({})).toBeUndefined();
});

test('a manifest that is not one stops the gateway at start, naming what is wrong', () => {
  const write = (name: string, text: string) => { const file = path.join(scratch, name); fs.writeFileSync(file, text); return file; };
  expect(() => readTrustedDocuments(write('not-json.json', '{'))).toThrow(/cannot read the manifest as JSON/);
  expect(() => readTrustedDocuments(write('array.json', '[]'))).toThrow(/must be a JSON object/);
  const edited = { [idOf('Municipalities')]: 'query Municipalities { municipalities { id name oktmo } }' };
  expect(() => readTrustedDocuments(write('edited.json', JSON.stringify(edited)))).toThrow(/is not the SHA-256 of its document/);
  const garbage = 'query {';
  expect(() => readTrustedDocuments(write('garbage.json', JSON.stringify({ [createHash('sha256').update(garbage).digest('hex')]: garbage }))))
    .toThrow(/does not parse/);
  expect(() => readTrustedDocuments(path.join(scratch, 'missing.json'))).toThrow(/PERSISTED_DOCUMENTS=.*missing\.json/);
});

describe('with a manifest (PERSISTED_DOCUMENTS)', () => {
  test('a front-end role\'s ad-hoc document is refused before it runs: 400 PERSISTED_DOCUMENT_REQUIRED, POST and GET', async () => {
    for (const token of [methodist(), orgAdmin(), { role: 'educator', educatorId: '00000000-0000-4000-8000-000000000001' } as TokenRequest, null]) {
      const posted = await post(trusted, token, { query: '{ municipalities { id } }' });
      expect([token?.role ?? 'anonymous', posted.status, codeOf(posted)]).toEqual([token?.role ?? 'anonymous', 400, 'PERSISTED_DOCUMENT_REQUIRED']);
      expect(posted.body.data).toBeUndefined();
    }
    const viaGet = await get(trusted, methodist(), { query: '{ municipalities { id } }' });
    expect([viaGet.status, codeOf(viaGet)]).toEqual([400, 'PERSISTED_DOCUMENT_REQUIRED']);
    // The very text of a listed document, sent as a document, is still an ad-hoc request.
    const listedText = await post(trusted, methodist(), { query: manifest[idOf('Municipalities')] });
    expect(codeOf(listedText)).toBe('PERSISTED_DOCUMENT_REQUIRED');
    // So is introspection.
    const introspection = await post(trusted, methodist(), { query: '{ __schema { queryType { name } } }' });
    expect(codeOf(introspection)).toBe('PERSISTED_DOCUMENT_REQUIRED');
  });

  test('a listed document answers by id: documentId (GraphQL over HTTP) and Apollo\'s sha256Hash, POST and GET', async () => {
    const id = idOf('Municipalities');
    const expected = { data: { municipalities: [{ id: municipalityId, name: 'Город Доверенный' }] } };
    for (const answer of [
      await post(trusted, methodist(), { documentId: id }),
      await post(trusted, methodist(), { documentId: hexOf(id) }),
      await post(trusted, methodist(), { extensions: apollo(hexOf(id)) }),
      await get(trusted, methodist(), { documentId: id }),
      await get(trusted, methodist(), { extensions: apollo(hexOf(id)) }),
      await post(trusted, orgAdmin(), { documentId: id, operationName: 'Municipalities' }),
    ]) {
      expect(answer).toEqual({ status: 200, body: expected });
    }
    const withVariables = await post(trusted, methodist(), { documentId: idOf('Organizations'), variables: { id: municipalityId } });
    expect(withVariables).toEqual({ status: 200, body: { data: { municipality: { name: 'Город Доверенный', organizations: [{ id: organizationId, name: 'Школа № 7' }] } } } });
    // An APQ client sending the listed document with its hash is answered too (it is the manifest's document).
    const withText = await post(trusted, methodist(), { query: manifest[id], extensions: apollo(hexOf(id)) });
    expect(withText).toEqual({ status: 200, body: expected });
    // Anonymous callers may use the manifest too (and meet the graph's own rules: the registry is not public).
    const anonymous = await post(trusted, null, { documentId: id });
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
  });

  test('an unknown id is refused: 400 PERSISTED_QUERY_NOT_FOUND, in both conventions, for every role', async () => {
    const unknown = createHash('sha256').update('query Mine { municipalities { id } }').digest('hex');
    for (const answer of [
      await post(trusted, methodist(), { documentId: `sha256:${unknown}` }),
      await post(trusted, methodist(), { extensions: apollo(unknown) }),
      await get(trusted, methodist(), { documentId: 'x-relay:abc' }),
      await post(trusted, analyst, { documentId: unknown }),
    ]) {
      expect([answer.status, codeOf(answer)]).toEqual([400, 'PERSISTED_QUERY_NOT_FOUND']);
      expect(answer.body.data).toBeUndefined();
    }
  });

  test('APQ registration is off: a front-end role\'s document with its hash is refused, an analyst\'s runs unregistered', async () => {
    const query = 'query Mine { municipalities { name } }';
    const hash = createHash('sha256').update(query).digest('hex');
    const register = await post(trusted, methodist(), { query, extensions: apollo(hash) });
    expect([register.status, codeOf(register)]).toEqual([400, 'PERSISTED_DOCUMENT_REQUIRED']);
    const byAnalyst = await post(trusted, analyst, { query, extensions: apollo(hash) });
    expect(byAnalyst).toEqual({ status: 200, body: { data: { municipalities: [{ name: 'Город Доверенный' }] } } });
    // Nothing was registered: the hash alone is still unknown, to the analyst and to the methodist.
    for (const token of [analyst, methodist()]) {
      const again = await post(trusted, token, { extensions: apollo(hash) });
      expect([again.status, codeOf(again)]).toEqual([400, 'PERSISTED_QUERY_NOT_FOUND']);
    }
  });

  test('analysts, region admins and integration keep ad-hoc queries', async () => {
    for (const token of [analyst, regionAdmin, integration()]) {
      const answer = await post(trusted, token, { query: '{ municipalities { name } }' });
      expect([token.role, answer]).toEqual([token.role, { status: 200, body: { data: { municipalities: [{ name: 'Город Доверенный' }] } } }]);
    }
    // Also by GET, and introspection (GraphiQL's docs).
    const viaGet = await get(trusted, analyst, { query: '{ __schema { queryType { name } } }' });
    expect(viaGet).toEqual({ status: 200, body: { data: { __schema: { queryType: { name: 'Query' } } } } });
  });

  test('the gateway\'s own routes are not concerned: a methodist\'s export still answers', async () => {
    const response = await fetch(`${trusted.url}/export/educators.csv?filter=${encodeURIComponent(JSON.stringify({ municipalityId }))}`, { headers: await headers(methodist()) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    await response.arrayBuffer();
  });
});

describe('without a manifest: as before', () => {
  test('every role may send any document', async () => {
    for (const token of [methodist(), orgAdmin(), analyst]) {
      const answer = await post(open, token, { query: '{ municipalities { name } }' });
      expect([token.role, answer]).toEqual([token.role, { status: 200, body: { data: { municipalities: [{ name: 'Город Доверенный' }] } } }]);
    }
  });

  test('APQ stays on (Apollo Server\'s bounded in-memory cache): register, then by hash or documentId', async () => {
    const query = 'query Registered { municipalities { id } }';
    const hash = createHash('sha256').update(query).digest('hex');
    const first = await post(open, methodist(), { extensions: apollo(hash) });
    expect(codeOf(first)).toBe('PERSISTED_QUERY_NOT_FOUND');
    const register = await post(open, methodist(), { query, extensions: apollo(hash) });
    expect(register).toEqual({ status: 200, body: { data: { municipalities: [{ id: municipalityId }] } } });
    for (const answer of [
      await post(open, methodist(), { extensions: apollo(hash) }),
      await post(open, methodist(), { documentId: `sha256:${hash}` }),
      await get(open, methodist(), { documentId: hash }),
    ]) {
      expect(answer).toEqual({ status: 200, body: { data: { municipalities: [{ id: municipalityId }] } } });
    }
  });
});
