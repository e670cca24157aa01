import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { buildSchema, parse, validate } from 'graphql';

/**
 * What front-end teams run against the API schema (`gateway/schema.graphql`, written by `npm run compose`):
 * relay-compiler (Relay's Node, @refetchable, @connection in both directions) and GraphQL Code Generator's client
 * preset. Documents are written under a temporary directory; the operations the tools produce are valid against the
 * schema.
 */
const root = path.join(__dirname, '../..');
const schemaFile = path.join(root, 'gateway/schema.graphql');
const schema = buildSchema(fs.readFileSync(schemaFile, 'utf8'));
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mms-relay-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

const relayDocuments = `import { graphql } from 'react-relay';

export const card = graphql\`
  fragment EducatorCard_educator on Educator @refetchable(queryName: "EducatorCardRefetchQuery") {
    id
    employments { position organization { id shortName } }
  }
\`;

export const list = graphql\`
  fragment MunicipalityEducators_query on Query
    @argumentDefinitions(count: { type: "Int", defaultValue: 10 }, cursor: { type: "String" }, municipalityId: { type: "ID" })
    @refetchable(queryName: "MunicipalityEducatorsPaginationQuery") {
    educators(first: $count, after: $cursor, filter: { municipalityId: $municipalityId }) @connection(key: "MunicipalityEducators_educators") {
      edges { node { id ...EducatorCard_educator } }
    }
  }
\`;

export const query = graphql\`
  query MunicipalityEducatorsQuery($municipalityId: ID) { ...MunicipalityEducators_query @arguments(municipalityId: $municipalityId) }
\`;

export const bothWays = graphql\`
  fragment OrganizationsBothWays_query on Query
    @argumentDefinitions(first: { type: "Int" }, after: { type: "String" }, last: { type: "Int" }, before: { type: "String" })
    @refetchable(queryName: "OrganizationsBothWaysPaginationQuery") {
    organizations(first: $first, after: $after, last: $last, before: $before) @connection(key: "OrganizationsBothWays_organizations") {
      edges { node { id shortName } }
    }
  }
\`;

export const program = graphql\`
  fragment ProgramCard_program on Program @refetchable(queryName: "ProgramCardRefetchQuery") { id title hours }
\`;
`;

test('relay-compiler compiles a refetchable educator fragment and paginated lists against the API schema', () => {
  const dir = path.join(temp, 'relay');
  fs.mkdirSync(path.join(dir, 'src/__generated__'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src/documents.ts'), relayDocuments);
  fs.writeFileSync(path.join(dir, 'relay.config.json'), JSON.stringify({
    src: './src', schema: schemaFile, language: 'typescript', artifactDirectory: './src/__generated__', eagerEsModules: true,
  }));
  const output = execFileSync(path.join(root, 'node_modules/.bin/relay-compiler'), [], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
  expect(output).toMatch(/compiled documents: 9 reader, 5 normalization, 10 operation text/);
  const artifacts = fs.readdirSync(path.join(dir, 'src/__generated__')).sort();
  expect(artifacts).toEqual(expect.arrayContaining(['EducatorCardRefetchQuery.graphql.ts', 'MunicipalityEducatorsPaginationQuery.graphql.ts',
    'OrganizationsBothWaysPaginationQuery.graphql.ts', 'ProgramCardRefetchQuery.graphql.ts']));

  // The refetch query goes through node(id:); every operation relay-compiler wrote is valid against the API schema.
  const texts = artifacts.flatMap((file) => {
    const artifact = fs.readFileSync(path.join(dir, 'src/__generated__', file), 'utf8');
    const match = /"text": ("(?:[^"\\]|\\.)*")/.exec(artifact);
    return match ? [JSON.parse(match[1]) as string] : [];
  });
  expect(texts).toHaveLength(5);
  expect(texts.find((t) => t.startsWith('query EducatorCardRefetchQuery'))).toMatch(/node\(id: \$id\)/);
  expect(texts.find((t) => t.startsWith('query OrganizationsBothWaysPaginationQuery'))).toMatch(/last: \$last/);
  for (const text of texts) expect(validate(schema, parse(text))).toEqual([]);
}, 60_000);

test('relay-compiler refuses @refetchable on a type that is not a Node (the test can fail)', () => {
  const dir = path.join(temp, 'relay-bad');
  fs.mkdirSync(path.join(dir, 'src/__generated__'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src/documents.ts'),
    "import { graphql } from 'react-relay';\nexport const bad = graphql`fragment Bad_change on Change @refetchable(queryName: \"BadRefetchQuery\") { entityId }`;\n");
  fs.writeFileSync(path.join(dir, 'relay.config.json'), JSON.stringify({ src: './src', schema: schemaFile, language: 'typescript', artifactDirectory: './src/__generated__' }));
  // Change (a feed record) is not a Node: it cannot be refetched by id (what every entity got before Node existed).
  let output = '';
  try {
    execFileSync(path.join(root, 'node_modules/.bin/relay-compiler'), [], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
  }
  expect(output).toMatch(/Invalid use of @refetchable on fragment 'Bad_change'/);
}, 60_000);

test('GraphQL Code Generator\'s client preset generates types for documents against the API schema', async () => {
  const dir = path.join(temp, 'codegen');
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  // The preset is resolved from the project's node_modules, as in a front-end project that installed it.
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, 'src/documents.ts'), `import { graphql } from './gql';
export const EducatorNode = graphql(\`query EducatorNode($id: ID!) { node(id: $id) { id ... on Educator { fullName employments { position } } } }\`);
export const Nodes = graphql(\`query Nodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Event { title startsAt } ... on Program { title } } }\`);
export const EducatorsBack = graphql(\`query EducatorsBack($last: Int, $before: String) {
  educators(last: $last, before: $before) { edges { cursor node { id } } pageInfo { hasPreviousPage startCursor } } }\`);
export const Changes = graphql(\`query Changes($after: String) { changes(after: $after, first: 100) { edges { cursor node { entityType entityId } } pageInfo { hasNextPage } } }\`);
`);
  // The CLI, as a front-end project runs it (its ESM dependencies do not load under Jest's CommonJS).
  fs.writeFileSync(path.join(dir, 'codegen.json'), JSON.stringify({
    schema: schemaFile, documents: ['src/documents.ts'], generates: { 'src/gql/': { preset: 'client' } },
  }));
  execFileSync(path.join(root, 'node_modules/.bin/graphql-codegen'), ['--config', 'codegen.json'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
  expect(fs.readdirSync(path.join(dir, 'src/gql')).sort()).toEqual(expect.arrayContaining(['gql.ts', 'graphql.ts', 'index.ts']));
  const graphqlTs = fs.readFileSync(path.join(dir, 'src/gql/graphql.ts'), 'utf8');
  expect(graphqlTs).toMatch(/export type EducatorNodeQuery = /);
  expect(graphqlTs).toMatch(/export type NodesQuery = /);
  expect(graphqlTs).toMatch(/export type EducatorsBackQueryVariables = /);
  expect(graphqlTs).toMatch(/export type ChangesQuery = /);
  // node(id:)'s result is typed as the union of the Node types, each with its own fields.
  expect(graphqlTs).toMatch(/__typename: 'Program', title: string/);
  expect(graphqlTs).toMatch(/__typename: 'Educator'/);
}, 120_000);
