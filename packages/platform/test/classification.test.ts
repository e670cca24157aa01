import { execute, parse } from 'graphql';
import {
  aboutPerson, classificationProblems, dateFact, firstSeptemberOf, open, personal, personalOf, subgraphSchema,
  type Classification, type SubgraphDefinition, type Viewer,
} from '../src';

/** The mechanism alone, on a small schema: what each class answers to each kind of caller. */
const sdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  scalar Date
  type Query { person(id: ID!): Person, people(filter: PersonFilter): [Person!]! }
  type Person @key(fields: "id") { id: ID!, name: String, note: String, isYoung(on: Date): Boolean }
  input PersonFilter { nameContains: String, young: Boolean, on: Date }
`;
const rows = [{ id: 'p1', name: 'Секретова', note: 'ЛИЧНОЕ', birth: '1990-05-05' }, { id: 'p2', name: 'Другая', note: 'ЛИЧНОЕ-2', birth: '1970-01-01' }];
const classification: Classification = {
  Query: { person: open, 'person(id)': open, people: open, 'people(filter)': open },
  Person: { id: open, name: personalOf('id'), note: aboutPerson, isYoung: dateFact('on'), 'isYoung(on)': dateFact() },
  PersonFilter: { nameContains: personal, young: dateFact('on'), on: open },
};
const definition: SubgraphDefinition = {
  name: 'people', sdl, typeDefs: parse(sdl), classification, createContext: (base) => base,
  resolvers: {
    Query: {
      person: (_: unknown, { id }: { id: string }) => rows.find((r) => r.id === id),
      people: () => rows,
    },
    Person: {
      __resolveReference: (ref: { id: string }) => rows.find((r) => r.id === ref.id),
      isYoung: (row: { birth: string }, { on }: { on: string }) => row.birth > `${Number(on.slice(0, 4)) - 35}${on.slice(4)}`,
    },
  } as never,
};
const schema = subgraphSchema(definition);

async function run(viewer: Viewer, query: string) {
  const result = await execute({ schema, document: parse(query), contextValue: { viewer } });
  return JSON.parse(JSON.stringify(result)) as { data?: any; errors?: { message: string; path?: unknown[]; extensions: Record<string, unknown> }[] };
}
const analyst: Viewer = { role: 'analyst', subject: 'a' };

test('a personal field is null with FORBIDDEN for an analyst, and the rest answers; region_admin reads it', async () => {
  const refused = await run(analyst, '{ person(id: "p1") { id name } }');
  expect(refused.data).toEqual({ person: { id: 'p1', name: null } });
  expect(refused.errors?.map((e) => [e.extensions.code, e.path])).toEqual([['FORBIDDEN', ['person', 'name']]]);
  expect((await run({ role: 'region_admin' }, '{ person(id: "p1") { name } }')).data).toEqual({ person: { name: 'Секретова' } });
});

test('_entities is covered: the wrapper sits on the field, not on the root query', async () => {
  const result = await run(analyst, '{ _entities(representations: [{ __typename: "Person", id: "p1" }]) { ... on Person { id name note } } }');
  expect(result.data?._entities).toEqual([{ id: 'p1', name: null, note: null }]);
  expect(result.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
});

test('an educator reads personal data on their own record only, and no notes about a person, not even their own', async () => {
  const me: Viewer = { role: 'educator', educatorId: 'p1', subject: 'me' };
  const result = await run(me, '{ people { id name note } }');
  expect(result.data?.people).toEqual([{ id: 'p1', name: 'Секретова', note: null }, { id: 'p2', name: null, note: null }]);
  expect(result.errors?.map((e) => e.path)).toEqual([['people', 0, 'note'], ['people', 1, 'name'], ['people', 1, 'note']]);
});

test('integration reads personal data but not notes about a person', async () => {
  const result = await run({ role: 'integration', municipalityId: 'm' }, '{ person(id: "p1") { name note } }');
  expect(result.data).toEqual({ person: { name: 'Секретова', note: null } });
  expect(result.errors?.map((e) => e.path)).toEqual([['person', 'note']]);
});

test('a personal filter is refused naming it; anonymous callers are told to sign in', async () => {
  const result = await run(analyst, '{ people(filter: { nameContains: "Секр" }) { id } }');
  expect(result.data).toBeNull();
  expect(result.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'filter.nameContains' });
  expect((await run({ role: 'anonymous' }, '{ people(filter: { nameContains: "Секр" }) { id } }')).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  expect((await run({ role: 'region_admin' }, '{ people(filter: { nameContains: "Секр" }) { id } }')).errors).toBeUndefined();
});

test('a date fact answers an analyst on a 1 September only; no day means this academic year\'s 1 September', async () => {
  const days = await run(analyst, '{ person(id: "p1") { a: isYoung(on: "2025-05-04") b: isYoung(on: "2025-05-05") c: isYoung(on: "2024-09-01") d: isYoung } }');
  expect(days.data?.person).toMatchObject({ a: null, b: null, c: true, d: expect.any(Boolean) });
  expect(days.errors?.map((e) => e.extensions.field)).toEqual(['on', 'on']);
  const filter = await run(analyst, '{ people(filter: { young: true, on: "2025-05-05" }) { id } }');
  expect(filter.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'filter.young' });
  expect((await run(analyst, '{ people(filter: { young: true, on: "2025-09-01" }) { id } }')).errors).toBeUndefined();
  expect(firstSeptemberOf('2026-08-31')).toBe('2025-09-01');
  expect(firstSeptemberOf('2026-09-01')).toBe('2026-09-01');
});

test('a table must name every field and argument of the schema, nothing else, and a classified field must be nullable', () => {
  expect(classificationProblems(definition.typeDefs, classification)).toEqual([]);
  const strict = parse(sdl.replace('name: String,', 'name: String!,'));
  expect(classificationProblems(strict, classification)).toEqual(['Person.name is personal and must be nullable (a refused value is null)']);
  const { note: _note, ...withoutNote } = classification.Person;
  expect(classificationProblems(definition.typeDefs, { ...classification, Person: { ...withoutNote, age: personal } }))
    .toEqual(['unclassified: Person.note', 'classified but not in the schema: Person.age']);
});
