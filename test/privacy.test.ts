import {
  buildClientSchema, getIntrospectionQuery, getNamedType, isAbstractType, isEnumType, isInputObjectType, isLeafType, isListType, isNonNullType,
  isObjectType, Kind, type GraphQLField, type GraphQLInputType, type GraphQLObjectType, type GraphQLSchema,
} from 'graphql';
import { classificationCounts, classificationProblems, mintDevToken, startSubgraphServer, subgraphSchema, type RunningServer, type TokenRequest } from '@mms/platform';
import { subgraphs } from '@mms/gateway';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';

/**
 * Issue 15 (152-FZ): an analyst cannot recover a person through any path. The demo region is seeded, then every
 * personal and free-text column is overwritten with a marker (names, SNILS, e-mail, phone, birth date and the start
 * of pedagogical work set to marker dates, complaints, support notes, conflict reasons, outside jurors, certificate
 * numbers, subjects); the named paths are tried as an analyst through the gateway and straight to each subgraph, and
 * the whole schema is walked looking for a marker.
 */
const analyst: TokenRequest = { role: 'analyst', subject: 'analyst-15' };
const markers = ['ЖМАРКЕР', 'zhmarker', '98765430', '987-654-30', '1977-07-17', '17.07.1977', '1966-06-16', '16.06.1966'];
const birthDate = '1977-07-17';

/** Cost is not what this file tests; rows are still capped (LIMIT_MAX_ROWS). */
const noCostLimit = { maxCost: Number.MAX_SAFE_INTEGER };
let graph: TestGraph;
let admin: Client;
let analystClient: Client;
const servers: Record<string, RunningServer> = {};
const ids = {} as {
  municipality: string; organization: string; educators: string[]; event: string; competition: string; stage: string;
  program: string; methodAssociation: string; indicatorReport: string; diagnostic: string; developmentRoute: string;
  juror: string; snils: string; me: string;
};

beforeAll(async () => {
  // The walks below ask for every field three levels down, far over the cost limit (issue 14) by design: this file
  // is about what comes back, so its gateway and subgraph ports run without a cost limit.
  graph = await createTestGraph({ limits: noCostLimit });
  for (const definition of subgraphs) await graph.db[definition.name].transaction((trx) => definition.demoSeed!.seed(trx));
  await graph.db.staff.raw(`update educator e set last_name = 'ЖМАРКЕР-Фамилия', first_name = 'ЖМАРКЕР-Имя', patronymic = 'ЖМАРКЕР-Отчество',
    email = 'zhmarker-' || x.n || '@example.org', phone = '+7 zhmarker ' || x.n, birth_date = '${birthDate}',
    pedagogical_work_started_on = '1966-06-16', snils = '9876543' || lpad(x.n::text, 4, '0')
    from (select id, row_number() over (order by id) as n from educator) x where x.id = e.id`);
  await graph.db.profdev.raw(`
    update complaint set subject = 'ЖМАРКЕР-ЖАЛОБА: сообщает о давлении', resolution = case when resolution is null then null else 'ЖМАРКЕР-решение' end;
    update support set topic = 'ЖМАРКЕР-ЛИЧНОЕ: здоровье', follow_up = 'ЖМАРКЕР-дальше';
    update mentorship set outcome = 'ЖМАРКЕР-итог';
    update development_route set abandon_reason = 'ЖМАРКЕР-причина' where abandon_reason is not null;
    update route_item set drop_reason = 'ЖМАРКЕР-исключено' where drop_reason is not null;
    update council_meeting set agenda = 'ЖМАРКЕР-повестка', decisions = 'ЖМАРКЕР-решили';
    update program_completion set certificate_number = 'ЖМАРКЕР-удостоверение';
    update help_request set topic = 'ЖМАРКЕР-обращение', answer = case when answer is null then null else 'ЖМАРКЕР-ответ' end,
      decline_reason = case when decline_reason is null then null else 'ЖМАРКЕР-отказ' end,
      requester_name = case when requester_name is null then null else 'ЖМАРКЕР-Родитель' end,
      requester_contact = case when requester_contact is null then null else 'zhmarker-contact' end;
    update support_session set topic = 'ЖМАРКЕР-сессия';
    update survey_answer set text_value = 'ЖМАРКЕР-затруднение' where text_value is not null;`);
  await graph.db.events.raw(`
    update jury_member set full_name = 'ЖМАРКЕР-Эксперт', subject = 'zhmarker-subject-' || id where subject is not null;
    update conflict_declaration set reason = 'ЖМАРКЕР-конфликт';`);
  await graph.db.indicators.raw(`update report set frozen_by_subject = 'zhmarker-froze'`);

  admin = graph.as(regionAdmin);
  analystClient = graph.as(analyst);
  const seen = await admin.data(`{ municipalities { id organizations { id } } educators(first: 100) { nodes { id snils diagnostics { id } routes { id } } }
    events { id } competitions { id stages { id jury { id fullName } } } programs { id } methodAssociations { id } indicatorReports { id } }`);
  ids.municipality = seen.municipalities[0].id;
  ids.organization = seen.municipalities[0].organizations[0].id;
  ids.educators = seen.educators.nodes.map((e: { id: string }) => e.id);
  ids.snils = seen.educators.nodes[0].snils;
  ids.diagnostic = seen.educators.nodes.flatMap((e: { diagnostics: { id: string }[] }) => e.diagnostics)[0].id;
  ids.developmentRoute = seen.educators.nodes.flatMap((e: { routes: { id: string }[] }) => e.routes)[0].id;
  ids.event = seen.events[0].id;
  ids.competition = seen.competitions[0].id;
  ids.stage = seen.competitions[0].stages[0].id;
  ids.juror = seen.competitions[0].stages[0].jury.find((j: { fullName: string }) => j.fullName === 'ЖМАРКЕР-Эксперт').id;
  ids.program = seen.programs[0].id;
  ids.methodAssociation = seen.methodAssociations[0].id;
  ids.indicatorReport = seen.indicatorReports[0].id;
  // One mentee, who also takes part in events and associations, keeps values of their own (no marker): walking the
  // graph as them, every marker seen would be somebody else's.
  const { mentorships } = await admin.data('{ mentorships { menteeId } }');
  ids.me = mentorships[0].menteeId;
  await graph.db.staff('educator').where({ id: ids.me }).update({ last_name: 'Своя', first_name: 'Своё', patronymic: 'Своевна',
    email: 'own@example.org', phone: '+7 000 000-00-00', birth_date: '1995-02-03', pedagogical_work_started_on: '2024-09-02', snils: '11223344595' });
  await graph.db.profdev('program_completion').where({ educator_id: ids.me }).update({ certificate_number: 'СВОЁ-1' });
  await graph.db.profdev.raw(`update help_request set topic = 'Своё обращение', answer = case when answer is null then null else 'Свой ответ' end,
    decline_reason = case when decline_reason is null then null else 'Свой отказ' end where requester_educator_id = ?`, [ids.me]);
  for (const definition of subgraphs) servers[definition.name] = await startSubgraphServer(definition, graph.db[definition.name], 0, { limits: noCostLimit });
}, 180_000);
afterAll(async () => {
  for (const server of Object.values(servers)) await server.stop();
  await graph.close();
});

/** Straight to a subgraph's own port, as anyone on the network could. */
async function overPort(subgraph: string, query: string, variables: Record<string, unknown> = {}, token: TokenRequest = analyst) {
  const response = await fetch(`${servers[subgraph].url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await mintDevToken(token)}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
}

const codes = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => (result.errors ?? []).map((e) => e.extensions?.code);
const leaked = (result: unknown) => markers.filter((marker) => JSON.stringify(result).includes(marker));

describe('the classification is complete, by construction', () => {
  test.each(subgraphs.map((s) => [s.name, s] as const))('every field, argument and input field of %s is classified, and nothing else', (_name, definition) => {
    expect(classificationProblems(definition.typeDefs, definition.classification)).toEqual([]);
  });

  test('a schema field without a classification, or a table naming a field that is not there, stops the schema being built', () => {
    const [staff] = subgraphs;
    const { Educator, ...rest } = staff.classification;
    const { lastName: _dropped, ...educatorWithoutLastName } = Educator;
    const missing = { ...staff, classification: { ...rest, Educator: educatorWithoutLastName } };
    expect(classificationProblems(missing.typeDefs, missing.classification)).toEqual(['unclassified: Educator.lastName']);
    expect(() => subgraphSchema(missing)).toThrow(/unclassified: Educator.lastName/);
    const extra = { ...staff, classification: { ...staff.classification, Educator: { ...Educator, shoeSize: 'open' as const } } };
    expect(() => subgraphSchema(extra)).toThrow(/classified but not in the schema: Educator.shoeSize/);
  });

  test('every subgraph has personal or free-text fields classified (the counts the READMEs give)', () => {
    const counts = Object.fromEntries(subgraphs.map((s) => [s.name, classificationCounts(s.classification)]));
    expect(counts.staff.personal).toBeGreaterThan(30);
    expect(counts.profdev.aboutPerson).toBeGreaterThan(10);
    expect(counts.events.personal + counts.events.aboutPerson).toBeGreaterThanOrEqual(6);
    expect(counts.indicators.personal).toBe(1);
  });
});

describe('birth dates cannot be bisected', () => {
  test('isUnder35 on any day but a 1 September is FORBIDDEN, aliases over a few days included', async () => {
    const days = ['2012-07-15', '2012-07-16', '2012-07-17', '2012-07-18'];
    const result = await analystClient.run(`query ($id: ID!) { educator(id: $id) { id ${days.map((d, i) => `d${i}: isUnder35(on: "${d}")`).join(' ')} } }`, { id: ids.educators[0] });
    expect(result.data?.educator).toEqual({ id: ids.educators[0], d0: null, d1: null, d2: null, d3: null });
    expect(codes(result)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect(result.errors?.[0].extensions?.field).toBe('on');
  });

  test('isUnder35, isEarlyCareer and experienceYears answer on a 1 September, and with no day on this academic year\'s', async () => {
    const result = await analystClient.data(`query ($id: ID!) { educator(id: $id) {
      a: isUnder35(on: "2011-09-01") b: isUnder35(on: "2012-09-01") today: isUnder35 isEarlyCareer experienceYears(on: "2025-09-01") } }`, { id: ids.educators[0] });
    // born 1977-07-17: under 35 on 2011-09-01, not on 2012-09-01; a year's resolution, not a day's
    expect(result.educator).toEqual({ a: true, b: false, today: false, isEarlyCareer: false, experienceYears: 59 });
  });

  test('birthDate, age, the start of pedagogical work and experience on a day are FORBIDDEN', async () => {
    const result = await analystClient.run(`query ($id: ID!) { educator(id: $id) { id birthDate age pedagogicalWorkStartedOn
      experienceYears(on: "2025-03-10") isEarlyCareer(on: "2025-03-10") } }`, { id: ids.educators[0] });
    expect(result.data?.educator).toEqual({ id: ids.educators[0], birthDate: null, age: null, pedagogicalWorkStartedOn: null, experienceYears: null, isEarlyCareer: null });
    expect(codes(result)).toEqual(Array(5).fill('FORBIDDEN'));
    expect(leaked(result)).toEqual([]);
  });

  test('the under35 filter counted on a day that is not a 1 September is FORBIDDEN naming filter.under35; on a year it counts', async () => {
    const bisect = await analystClient.error(`query ($o: ID) { educators(filter: { organizationId: $o, employedOn: "2025-03-10", under35: true }) { totalCount } }`, { o: ids.organization });
    expect(bisect).toMatchObject({ code: 'FORBIDDEN' });
    expect(bisect.error.extensions?.field).toBe('filter.under35');
    const today = await analystClient.error(`{ educators(filter: { earlyCareer: true }) { totalCount } }`);
    expect(today.error.extensions?.field).toBe('filter.earlyCareer');
    const counted = await analystClient.data(`{ educators(filter: { employedDuring: "2025/2026", under35: false }) { totalCount } }`);
    expect(counted.educators.totalCount).toBeGreaterThan(0);
  });
});

describe('the start of pedagogical work cannot be bisected either', () => {
  test('earlyCareerWithoutMentor on a day that is not a 1 September is FORBIDDEN naming on; on a 1 September it answers ids', async () => {
    const query = `query ($on: Date) { earlyCareerWithoutMentor(on: $on) { educator { id } } }`;
    for (const run of [(v: Record<string, unknown>) => analystClient.run(query, v), (v: Record<string, unknown>) => overPort('profdev', query, v)]) {
      const refused = await run({ on: '2025-03-10' });
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'on' });
      const answered = await run({ on: '2025-09-01' });
      expect(answered.errors).toBeUndefined();
      expect(Array.isArray(answered.data?.earlyCareerWithoutMentor)).toBe(true);
      expect((await run({})).errors).toBeUndefined();
    }
  });
});

describe('no look-up by name or SNILS', () => {
  test('educators(filter: { nameContains }) is FORBIDDEN naming filter.nameContains, through the gateway and the subgraph\'s port', async () => {
    const query = `{ educators(filter: { nameContains: "ЖМАРКЕР" }) { totalCount nodes { id } } }`;
    const viaGateway = await analystClient.run(query);
    expect(viaGateway.data).toBeNull();
    expect(viaGateway.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'filter.nameContains' });
    const viaPort = await overPort('staff', query);
    expect(codes(viaPort)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(viaPort)).not.toContain(ids.educators[0]);
  });

  test('educatorBySnils is FORBIDDEN naming snils; integration still matches by SNILS', async () => {
    const query = `query ($s: String!) { educatorBySnils(snils: $s) { id } }`;
    const refused = await analystClient.run(query, { s: ids.snils });
    expect(refused.data?.educatorBySnils ?? null).toBeNull();
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'snils' });
    expect(codes(await overPort('staff', query, { s: ids.snils }))).toEqual(['FORBIDDEN']);
    const integration = graph.as({ role: 'integration', municipalityId: ids.municipality });
    expect((await integration.data(`query ($s: String!) { educatorBySnils(snils: $s) { id lastName } }`, { s: ids.snils })).educatorBySnils)
      .toEqual({ id: expect.any(String), lastName: 'ЖМАРКЕР-Фамилия' });
  });

  test('_entities straight to staff\'s port answers the pseudonymous id, never the names, birth date or SNILS', async () => {
    const result = await overPort('staff', `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Educator { id lastName fullName birthDate snils email phone age
      isUnder35(on: "2012-07-17") } } }`, { r: [{ __typename: 'Educator', id: ids.educators[0] }] });
    expect(result.data?._entities).toEqual([{ id: ids.educators[0], lastName: null, fullName: null, birthDate: null, snils: null, email: null, phone: null, age: null, isUnder35: null }]);
    expect(new Set(codes(result))).toEqual(new Set(['FORBIDDEN']));
    expect(leaked(result)).toEqual([]);
  });
});

describe('no free text about a person', () => {
  test('complaints answer their dates and outcome, but subject, resolution and whom they concern are FORBIDDEN', async () => {
    const query = `{ complaints(from: "2020-01-01", to: "2030-12-31") { id receivedOn isUpheld subject resolution educator { id } } }`;
    for (const result of [await analystClient.run(query), await overPort('profdev', query)]) {
      expect(result.data?.complaints.length).toBe(2);
      for (const complaint of result.data!.complaints) expect(complaint).toMatchObject({ subject: null, resolution: null, educator: null, receivedOn: expect.any(String) });
      expect(new Set(codes(result))).toEqual(new Set(['FORBIDDEN']));
      expect(leaked(result)).toEqual([]);
    }
  });

  test('supportGiven answers its form and day, but topic and followUp are FORBIDDEN, also for integration', async () => {
    const query = `{ supportGiven(from: "2020-01-01", to: "2030-12-31") { id form givenOn topic followUp } }`;
    const integration = graph.as({ role: 'integration', municipalityId: ids.municipality });
    for (const result of [await analystClient.run(query), await overPort('profdev', query), await integration.run(query)]) {
      expect(result.data?.supportGiven.length).toBeGreaterThan(0);
      expect(result.data!.supportGiven.every((s: { topic: unknown; followUp: unknown; form: string }) => s.topic === null && s.followUp === null && s.form)).toBe(true);
      expect(new Set(codes(result))).toEqual(new Set(['FORBIDDEN']));
      expect(leaked(result)).toEqual([]);
    }
    // The methodist who writes them reads them.
    const methodist = graph.as({ role: 'municipality_methodist', municipalityId: ids.municipality });
    expect(JSON.stringify(await methodist.data(query))).toContain('ЖМАРКЕР-ЛИЧНОЕ');
  });

  test('a competition\'s conflict reasons and its outside jurors\' names and subjects are FORBIDDEN', async () => {
    const query = `query ($id: ID!) { stage(id: $id) { id conflicts { id reason } jury { id isChair fullName subject } } }`;
    for (const result of [await analystClient.run(query, { id: ids.stage }), await overPort('events', query, { id: ids.stage })]) {
      expect(result.data?.stage.jury.length).toBeGreaterThan(0);
      expect(result.data?.stage.conflicts.length).toBeGreaterThan(0);
      expect(leaked(result)).toEqual([]);
      expect(new Set(codes(result))).toEqual(new Set(['FORBIDDEN']));
    }
  });
});

describe('educators do not read other people', () => {
  test('a juror reads neither the outside expert\'s name nor the conflict reasons; their own names they read', async () => {
    const jurorId = ids.educators[0];
    const juror = graph.as({ role: 'educator', educatorId: jurorId, subject: 'juror' });
    const result = await juror.run(`query ($id: ID!) { stage(id: $id) { jury { id fullName subject } conflicts { reason } } }`, { id: ids.stage });
    expect(leaked(result)).toEqual([]);
    expect(codes(result)).toContain('FORBIDDEN');
    const own = await juror.data(`query ($id: ID!) { educator(id: $id) { lastName birthDate } }`, { id: jurorId });
    expect(own.educator).toEqual({ lastName: 'ЖМАРКЕР-Фамилия', birthDate });
  });

  test('an outside expert signed in as themself reads no other juror\'s subject through the events port', async () => {
    const result = await overPort('events', `query ($id: ID!) { stage(id: $id) { jury { fullName subject } } }`, { id: ids.stage }, { role: 'educator', subject: 'expert-kuzmina' });
    expect(leaked(result)).toEqual([]);
  });
});

test('aggregates keep their meaning: indicator values and pseudonymous drill-down answer an analyst', async () => {
  const { indicatorValues } = await analystClient.data(`{ indicatorValues(scope: { region: true }, academicYear: "2025/2026") {
    indicator { code } numerator denominator numeratorEducators(first: 5) { totalCount nodes { id } } } }`);
  expect(indicatorValues).toHaveLength(15);
  const withPeople = indicatorValues.filter((v: { numeratorEducators: { totalCount: number } }) => v.numeratorEducators.totalCount > 0);
  expect(withPeople.length).toBeGreaterThan(0);
  expect(withPeople[0].numeratorEducators.nodes[0].id).toEqual(expect.any(String));
});

// ---- the schema walk ----

/** A literal for a required argument, chosen so that the field answers over the demo data. */
function literal(type: GraphQLInputType, name: string, field: string): string {
  if (isNonNullType(type)) return literal(type.ofType, name, field);
  if (isListType(type)) return `[${literal(type.ofType, name, field)}]`;
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    if (type.name === 'IndicatorScopeInput') return '{ region: true }';
    const required = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return `{ ${required.map((f) => `${f.name}: ${literal(f.type, f.name, field)}`).join(', ')} }`;
  }
  switch (type.name) {
    case 'ID': {
      const byField: Record<string, string> = { municipality: ids.municipality, organization: ids.organization, educator: ids.educators[0], event: ids.event,
        competition: ids.competition, stage: ids.stage, program: ids.program, methodAssociation: ids.methodAssociation, indicatorReport: ids.indicatorReport,
        diagnostic: ids.diagnostic, developmentRoute: ids.developmentRoute, node: ids.educators[0], nodes: ids.educators[0] };
      const id = name === 'id' || name === 'ids' ? byField[field] : name === 'organizationId' ? ids.organization : ids.municipality;
      return JSON.stringify(id ?? ids.municipality);
    }
    case 'Date': return JSON.stringify(name === 'from' ? '2020-01-01' : name === 'to' || name === 'before' ? '2030-12-31' : '2025-09-01');
    case 'AcademicYear': return '"2025/2026"';
    case 'DateTime': return '"2025-09-01T00:00:00Z"';
    case 'Int': return '5';
    case 'Float': return '1';
    case 'Boolean': return 'true';
    case 'String': return JSON.stringify(name === 'snils' ? ids.snils : 'ЖМАРКЕР');
    default: return '"x"';
  }
}

function fieldCall(field: GraphQLField<unknown, unknown>): string {
  const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  return required.length ? `${field.name}(${required.map((a) => `${a.name}: ${literal(a.type, a.name, field.name)}`).join(', ')})` : field.name;
}

/** Every scalar field of a type, and its object fields' scalars down to `depth` levels. */
function selection(type: GraphQLObjectType, depth: number): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.name.startsWith('_')) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(fieldCall(field));
    else if (isObjectType(named) && depth > 1) {
      const inner = selection(named, depth - 1);
      if (inner) parts.push(`${fieldCall(field)} { ${inner} }`);
    }
  }
  return parts.join(' ');
}

function rootQueries(schema: GraphQLSchema, depth: number): { name: string; query: string }[] {
  return Object.values(schema.getQueryType()!.getFields()).filter((f) => !f.name.startsWith('_')).map((field) => {
    const named = getNamedType(field.type);
    // Relay's Node (node, nodes): asked with an educator's id (literal), so the educator's selection, as educator(id:)'s.
    const educator = schema.getType('Educator') as GraphQLObjectType;
    const inner = isObjectType(named) ? ` { ${selection(named, depth)} }`
      : isAbstractType(named) ? ` { __typename ... on Educator { ${selection(educator, depth)} } }` : '';
    return { name: field.name, query: `{ ${fieldCall(field)}${inner} }` };
  });
}

/** Errors the walk may meet: refusals (FORBIDDEN), and nothing else that would hide an unchecked answer. */
const allowed = new Set(['FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT']);

async function walk(run: (query: string) => Promise<{ data?: unknown; errors?: readonly { extensions?: Record<string, unknown>; message: string }[] }>, queries: { name: string; query: string }[]) {
  const leaks: string[] = [];
  const unexpected: string[] = [];
  let answered = 0;
  for (const { name, query } of queries) {
    const result = await run(query);
    for (const marker of leaked(result)) leaks.push(`${name}: ${marker}`);
    for (const error of result.errors ?? []) if (!allowed.has(String(error.extensions?.code))) unexpected.push(`${name}: ${error.extensions?.code} ${error.message}`);
    const value = (result.data as Record<string, unknown> | null | undefined)?.[name];
    if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)) answered += 1;
  }
  return { leaks, unexpected, answered };
}

describe('the schema walk: no marker comes back to an analyst', () => {
  test('through the gateway, every root query field with every scalar two levels down (a region_admin walk finds the markers)', async () => {
    const introspection = await admin.data(getIntrospectionQuery());
    const schema = buildClientSchema(introspection);
    const queries = rootQueries(schema, 3);
    expect(queries.length).toBeGreaterThan(40);
    const asAnalyst = await walk((q) => analystClient.run(q), queries);
    expect(asAnalyst.unexpected).toEqual([]);
    expect(asAnalyst.leaks).toEqual([]);
    expect(asAnalyst.answered).toBeGreaterThan(25);
    // The same walk as region_admin meets the markers: the walk reaches the fields it checks.
    const asAdmin = await walk((q) => admin.run(q), queries);
    expect(new Set(asAdmin.leaks.map((l) => l.split(': ')[1]))).toEqual(new Set(markers.filter((m) => !m.includes('.'))));
  }, 400_000);

  test('an educator walking the gateway meets no other person\'s personal data or any note about a person', async () => {
    const me = graph.as({ role: 'educator', educatorId: ids.me, subject: 'own-subject' });
    const introspection = await me.data(getIntrospectionQuery());
    const queries = rootQueries(buildClientSchema(introspection), 3);
    const result = await walk((q) => me.run(q), queries);
    expect(result.leaks).toEqual([]);
    expect(result.answered).toBeGreaterThan(10);
    const own = await me.data(`query ($id: ID!) { educator(id: $id) { lastName birthDate snils completions { certificateNumber } } }`, { id: ids.me });
    expect(own.educator).toMatchObject({ lastName: 'Своя', birthDate: '1995-02-03', snils: '112-233-445 95' });
    expect(own.educator.completions.every((c: { certificateNumber: string }) => c.certificateNumber === 'СВОЁ-1')).toBe(true);
  }, 400_000);

  test.each(['staff', 'profdev', 'events', 'indicators'])('straight to the %s subgraph\'s port: every root query field and _entities', async (name) => {
    const definition = subgraphs.find((s) => s.name === name)!;
    const schema = subgraphSchema(definition);
    const queries = rootQueries(schema, 3);
    const entityTypes = definition.typeDefs.definitions.flatMap((d) => ((d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION)
      && d.directives?.some((x) => x.name.value === 'key') ? [d.name.value] : []));
    const representations = (type: string) => (type === 'Educator' ? ids.educators.slice(0, 20) : type === 'Organization' ? [ids.organization] : type === 'Municipality' ? [ids.municipality] : [])
      .map((id) => ({ __typename: type, id }));
    const entityQueries = entityTypes.map((type) => ({
      name: '_entities',
      query: `{ _entities(representations: ${JSON.stringify(representations(type)).replace(/"(__typename|id)":/g, '$1:')}) { ... on ${type} { ${selection(schema.getType(type) as GraphQLObjectType, 3)} } } }`,
    }));
    const result = await walk((q) => overPort(name, q), [...queries, ...entityQueries]);
    expect(result.unexpected).toEqual([]);
    expect(result.leaks).toEqual([]);
    expect(result.answered).toBeGreaterThan(0);
  }, 200_000);
});
