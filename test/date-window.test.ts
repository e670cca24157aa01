import {
  getNamedType, isInputObjectType, isListType, isNonNullType, isScalarType, isCompositeType,
  type GraphQLInputType, type GraphQLSchema,
} from 'graphql';
import { composeSupergraph, httpDataSources, startGatewayServer, subgraphs } from '@mms/gateway';
import { eventsSubgraph } from '@mms/events';
import { startSubgraphServer, subgraphSchema } from '@mms/platform';
import { staffSubgraph } from '@mms/staff';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { buildWorld, counts, type World } from '../services/events/test/world';

/**
 * Issue 14, "dates are sane": Date and DateTime take the years 1900–2100 only, in every subgraph and every argument,
 * and a value outside the window that is already stored (written before the window, or by hand) never makes a list
 * fail for everybody.
 */
let graph: TestGraph;
let admin: Client;
let w: World;

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  w = await buildWorld(admin);
}, 120_000);
afterAll(() => graph.close());

/** Every way down an argument's input type to a Date or DateTime: [argument, field, field, …], lists marked '[]'. */
function datePaths(type: GraphQLInputType, seen: Set<string> = new Set()): { path: string[]; scalar: string }[] {
  if (isNonNullType(type)) return datePaths(type.ofType, seen);
  if (isListType(type)) return datePaths(type.ofType, seen).map(({ path, scalar }) => ({ path: ['[]', ...path], scalar }));
  if (isScalarType(type)) return type.name === 'Date' || type.name === 'DateTime' ? [{ path: [], scalar: type.name }] : [];
  if (!isInputObjectType(type) || seen.has(type.name)) return [];
  const inner = new Set(seen).add(type.name);
  return Object.values(type.getFields()).flatMap((field) => datePaths(field.type, inner).map(({ path, scalar }) => ({ path: [field.name, ...path], scalar })));
}

/** A value that holds `leaf` at `path` and nothing else (other required fields missing: their errors are not ours). */
function valueAt(path: string[], leaf: string): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  return head === '[]' ? [valueAt(rest, leaf)] : { [head]: valueAt(rest, leaf) };
}

interface DateArgument { subgraph: string; mutation: string; argument: string; path: string[]; scalar: string; query: string }

function dateArguments(name: string, schema: GraphQLSchema): DateArgument[] {
  const mutation = schema.getMutationType();
  if (!mutation) return [];
  return Object.values(mutation.getFields()).flatMap((field) => {
    // Every argument is a variable (the others left unset: their errors are reported beside ours, not instead).
    const variables = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
    const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
    const query = `mutation (${variables}) { ${field.name}(${args})${isCompositeType(getNamedType(field.type)) ? ' { __typename }' : ''} }`;
    return field.args.flatMap((arg) => datePaths(arg.type).map(({ path, scalar }) => ({ subgraph: name, mutation: field.name, argument: arg.name, path, scalar, query })));
  });
}

const everyDateArgument = subgraphs.flatMap((definition) => dateArguments(definition.name, subgraphSchema(definition)));
const badValues = { Date: ['0000-06-01', '1899-12-31', '2101-01-01'], DateTime: ['0000-06-01T00:00:00Z', '2101-01-01T00:00:00Z', '2100-12-31T23:00:00-05:00'] };
const goodValues = { Date: '2026-09-01', DateTime: '2026-09-01T10:00:00+03:00' };

describe('every Date and DateTime argument of every mutation refuses years outside 1900–2100', () => {
  test('there are such arguments in every subgraph that has mutations with dates', () => {
    // The issue counted 12 mutations; the schema has more date arguments than that, all of them walked here.
    const mutations = new Set(everyDateArgument.map((a) => `${a.subgraph}.${a.mutation}`));
    expect(mutations.size).toBeGreaterThanOrEqual(12);
    expect(new Set(everyDateArgument.map((a) => a.subgraph))).toEqual(new Set(['staff', 'profdev', 'events']));
  });

  test.each(everyDateArgument.map((a) => [`${a.subgraph} ${a.mutation}(${[a.argument, ...a.path].join('.')})`, a] as const))('%s', async (_name, a) => {
    const client = graph.subgraph(a.subgraph, regionAdmin);
    for (const bad of badValues[a.scalar as 'Date' | 'DateTime']) {
      const { data, errors } = await client.run(a.query, { [a.argument]: valueAt(a.path, bad) });
      expect(data ?? null).toBeNull();
      const ours = errors?.find((error) => error.message.includes(JSON.stringify(bad)));
      expect(ours?.message).toMatch(/must be between 1900-01-01 and 2100-12-31/);
      expect(ours?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    // A day inside the window is not what is refused (the other required fields may be).
    const { errors } = await client.run(a.query, { [a.argument]: valueAt(a.path, goodValues[a.scalar as 'Date' | 'DateTime']) });
    expect(errors?.some((error) => /1900-01-01/.test(error.message)) ?? false).toBe(false);
  });
});

const createEvent = (client: Client, input: Record<string, unknown>) => client.run(`mutation ($input: CreateEventInput!) { createEvent(input: $input) { id } }`, { input: {
  kind: 'SEMINAR', level: 'MUNICIPAL', title: 'Семинар', municipalityId: w.town.id, startsAt: '2027-02-18T14:00:00+10:00', endsAt: '2027-02-18T16:00:00+10:00',
  venueOrganizationId: w.school.id, ...input } });

describe('through the gateway: the cases of the issue are BAD_USER_INPUT and change nothing', () => {
  test.each([
    ['an event starting in year 0000', { startsAt: '0000-06-01T00:00:00Z' }],
    ['an event ending in year 10000', { endsAt: '10000-01-01T00:00:00Z' }],
    ['an event ending in 2101', { endsAt: '2101-01-01T00:00:00Z' }],
  ])('%s', async (_why, input) => {
    const methodist = graph.as({ role: 'municipality_methodist', municipalityId: w.town.id });
    expect((await createEvent(methodist, {})).errors).toBeUndefined();
    const before = await counts(graph);
    const { data, errors } = await createEvent(methodist, input);
    expect(data ?? null).toBeNull();
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toMatch(/1900-01-01 and 2100-12-31|ISO 8601/);
    expect(await counts(graph)).toEqual(before);
  });

  test('a date argument of a query outside the window is refused as the client\'s mistake, not an SQL error', async () => {
    const asVariable = await graph.anonymous().run(`query ($from: Date) { calendar(from: $from) { id } }`, { from: '0000-01-01' });
    expect(asVariable.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // Written into the query, it is a literal the subgraph's validation refuses.
    const asLiteral = await graph.anonymous().run(`{ calendar(from: "0000-01-01") { id } }`);
    expect(asLiteral.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(asLiteral.errors?.[0]?.message).toMatch(/between 1900-01-01 and 2100-12-31/);
  });
});

describe('a stored value outside the window does not break a list for everybody', () => {
  test('the calendar (anonymous) and events (every role) keep answering, the odd row shows what is stored', async () => {
    const { data: good } = await createEvent(admin, { title: 'Хорошее' });
    const { data: odd } = await createEvent(admin, { title: 'Из прошлого' });
    // Written around the API, as the issue found it possible before the window: 1 BC and year 10000.
    await graph.db.events.raw(`update event set starts_at = '0000-06-01T00:00:00Z', ends_at = '10000-01-01T00:00:00Z' where id = ?`, [odd!.createEvent.id])
      .catch(async () => graph.db.events.raw(`update event set starts_at = '0001-06-01 00:00:00+00 BC', ends_at = '10000-01-01 00:00:00+00' where id = ?`, [odd!.createEvent.id]));

    const { data: calendar, errors: calendarErrors } = await graph.anonymous().run(`{ calendar { id eventId title startsAt endsAt startsOn endsOn } }`);
    expect(calendarErrors).toBeUndefined();
    const ids = calendar!.calendar.map((e: { eventId: string }) => e.eventId);
    expect(ids).toEqual(expect.arrayContaining([good!.createEvent.id, odd!.createEvent.id]));
    const shown = calendar!.calendar.find((e: { eventId: string }) => e.eventId === odd!.createEvent.id);
    // As PostgreSQL prints it: the odd row is visibly odd, the rest of the list is as it was.
    expect(shown).toMatchObject({ startsAt: '0000-06-01T00:00:00.000Z', endsAt: '+010000-01-01T00:00:00.000Z', startsOn: '0001-06-01 BC', endsOn: '10000-01-01' });

    for (const client of [admin, graph.as({ role: 'organization_admin', organizationId: w.school.id }), graph.as({ role: 'analyst' })]) {
      const { data, errors } = await client.run(`{ events { id title startsAt endsAt startsOn endsOn } }`);
      expect(errors).toBeUndefined();
      expect(data!.events.map((e: { id: string }) => e.id)).toEqual(expect.arrayContaining([good!.createEvent.id]));
    }

    // The iCalendar feed over HTTP keeps answering too, with the good event in it.
    const staff = await startSubgraphServer(staffSubgraph, graph.db.staff, 0);
    const events = await startSubgraphServer(eventsSubgraph, graph.db.events, 0);
    const urls: Record<string, string> = { staff: `${staff.url}/graphql`, events: `${events.url}/graphql` };
    const gateway = await startGatewayServer({ supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources((name) => urls[name]), port: 0 });
    try {
      const response = await fetch(`${gateway.url}/calendar.ics`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('Хорошее');
    } finally {
      await gateway.stop();
      await events.stop();
      await staff.stop();
    }
  });
});
