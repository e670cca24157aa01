import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { buildWorld, counts, type World } from './world';

/** Events and participation through the graph: capacity, the waiting list, own registration, and the bad inputs. */
let graph: TestGraph;
let admin: Client;
let w: World;

beforeAll(async () => {
  graph = await createTestGraph();
  admin = graph.as(regionAdmin);
  w = await buildWorld(admin);
}, 120_000);
afterAll(() => graph.close());

const createEvent = (client: Client, input: Record<string, unknown>) => client.run(`mutation ($input: CreateEventInput!) { createEvent(input: $input) {
  id startsAt startsAtLocal startsOn timeZone status sequence venue { shortName } } }`, { input: {
  kind: 'SEMINAR', level: 'MUNICIPAL', title: 'Семинар', municipalityId: w.town.id, startsAt: '2027-02-18T14:00:00+10:00', endsAt: '2027-02-18T16:00:00+10:00',
  venueOrganizationId: w.centre.id, ...input } });
const register = (client: Client, eventId: string, educatorId?: string, role?: string) =>
  client.run(`mutation ($input: RegisterForEventInput!) { registerForEvent(input: $input) { isWaitlisted waitlistPosition role educator { id } } }`,
    { input: { eventId, educatorId, role } });

async function refused(run: () => Promise<{ errors?: readonly { extensions?: Record<string, unknown> }[] }>, code: string) {
  const before = await counts(graph);
  const result = await run();
  expect(result.errors?.[0]?.extensions?.code).toBe(code);
  expect(await counts(graph)).toEqual(before);
  return result.errors![0];
}

test('an event keeps instants and shows them in the municipality\'s zone', async () => {
  const { data } = await createEvent(admin, { startsAt: '2027-02-18T04:00:00Z', endsAt: '2027-02-18T06:00:00Z' });
  expect(data!.createEvent).toMatchObject({ startsAt: '2027-02-18T04:00:00.000Z', startsAtLocal: '2027-02-18T14:00:00+10:00', startsOn: '2027-02-18',
    timeZone: 'Asia/Vladivostok', status: 'PLANNED', sequence: 0, venue: { shortName: 'МЦ' } });
  const [row] = await graph.db.events('events_api.event').where('id', data!.createEvent.id);
  expect(row).toMatchObject({ starts_on: '2027-02-18', kind: 'seminar', level: 'municipal', status: 'planned' });
});

describe('bad input changes nothing', () => {
  test('an event ending before it starts (or when it starts) is BAD_USER_INPUT', async () => {
    const error = await refused(() => createEvent(admin, { endsAt: '2027-02-18T13:00:00+10:00' }), 'BAD_USER_INPUT');
    expect(error.extensions?.field).toBe('input.endsAt');
    await refused(() => createEvent(admin, { endsAt: '2027-02-18T14:00:00+10:00' }), 'BAD_USER_INPUT');
    const { data } = await createEvent(admin, {});
    await refused(() => admin.run(`mutation ($id: ID!) { updateEvent(id: $id, input: { endsAt: "2027-02-17T10:00:00+10:00" }) { id } }`, { id: data!.createEvent.id }), 'BAD_USER_INPUT');
  });
  test('an event with neither a venue nor an online link is BAD_USER_INPUT', async () => {
    await refused(() => createEvent(admin, { venueOrganizationId: null }), 'BAD_USER_INPUT');
  });
  test('an event of another municipality is out of a methodist\'s scope, and an analyst writes nothing', async () => {
    await refused(() => createEvent(graph.as({ role: 'municipality_methodist', municipalityId: w.other.id }), {}), 'FORBIDDEN');
    await refused(() => createEvent(graph.as({ role: 'analyst' }), {}), 'FORBIDDEN');
    await refused(() => createEvent(graph.anonymous(), {}), 'UNAUTHENTICATED');
  });
  test('registering an unknown educator is NOT_FOUND; one outside the registrar\'s scope FORBIDDEN', async () => {
    const { data } = await createEvent(admin, {});
    await refused(() => register(admin, data!.createEvent.id, '22222222-2222-4222-8222-222222222222'), 'NOT_FOUND');
    await refused(() => register(graph.as({ role: 'organization_admin', organizationId: w.school.id }), data!.createEvent.id, w.c), 'FORBIDDEN');
  });
  test('registration beyond capacity without a waiting list is a CONFLICT; twice is a CONFLICT', async () => {
    const { data } = await createEvent(admin, { capacity: 1, hasWaitingList: false });
    const eventId = data!.createEvent.id;
    expect((await register(admin, eventId, w.a)).errors).toBeUndefined();
    await refused(() => register(admin, eventId, w.b), 'CONFLICT');
    await refused(() => register(admin, eventId, w.a), 'CONFLICT');
    // The programme is not counted against listener seats.
    expect((await register(admin, eventId, w.c, 'SPEAKER')).data!.registerForEvent).toMatchObject({ isWaitlisted: false, role: 'SPEAKER' });
  });
});

test('beyond capacity listeners wait in order, and a cancellation moves the first of them up', async () => {
  const { data } = await createEvent(admin, { capacity: 2 });
  const eventId = data!.createEvent.id;
  for (const educatorId of [w.a, w.b]) expect((await register(admin, eventId, educatorId)).data!.registerForEvent.isWaitlisted).toBe(false);
  expect((await register(admin, eventId, w.c)).data!.registerForEvent).toMatchObject({ isWaitlisted: true, waitlistPosition: 1 });
  // An educator registers themself ('registration:own'), as a listener only.
  const self = graph.as({ role: 'educator', educatorId: w.d });
  await refused(() => register(self, eventId, undefined, 'SPEAKER'), 'FORBIDDEN');
  expect((await register(self, eventId)).data!.registerForEvent).toMatchObject({ isWaitlisted: true, waitlistPosition: 2, educator: { id: w.d } });
  await refused(() => register(self, eventId, w.a), 'FORBIDDEN'); // not others

  await admin.data(`mutation ($e: ID!, $who: ID!) { cancelRegistration(eventId: $e, educatorId: $who) { id } }`, { e: eventId, who: w.a });
  const { event } = await admin.data(`query ($id: ID!) { event(id: $id) { seatsTaken participations { educator { id } isWaitlisted waitlistPosition } } }`, { id: eventId });
  expect(event.seatsTaken).toBe(2);
  expect(event.participations).toEqual([
    { educator: { id: w.b }, isWaitlisted: false, waitlistPosition: null },
    { educator: { id: w.c }, isWaitlisted: false, waitlistPosition: null },
    { educator: { id: w.d }, isWaitlisted: true, waitlistPosition: 1 },
  ]);
  // Raising the capacity gives the seat to the next; the educator sees their own participation only.
  await admin.data(`mutation ($id: ID!) { updateEvent(id: $id, input: { capacity: 3 }) { sequence } }`, { id: eventId });
  const mine = await self.data(`query ($id: ID!) { educator(id: $id) { id } event(id: $id2) { participations { educator { id } isWaitlisted } } }`.replace('$id2', '$e').replace('query ($id: ID!)', 'query ($id: ID!, $e: ID!)'), { id: w.d, e: eventId });
  expect(mine.event.participations).toEqual([{ educator: { id: w.d }, isWaitlisted: false }]);
  // A cancelled event refuses registrations but stays, marked cancelled.
  await admin.data(`mutation ($id: ID!) { setEventStatus(id: $id, status: CANCELLED) { status sequence } }`, { id: eventId });
  await refused(() => register(admin, eventId, w.juror1), 'CONFLICT');
  await refused(() => admin.run(`mutation ($id: ID!) { setEventStatus(id: $id, status: HELD) { status } }`, { id: eventId }), 'CONFLICT');
});

test('attendance is marked for seat holders of an event that has begun; the educator sees it among their participations', async () => {
  const { data } = await createEvent(admin, { startsAt: '2026-01-15T10:00:00+10:00', endsAt: '2026-01-15T12:00:00+10:00', capacity: 1 });
  const eventId = data!.createEvent.id;
  // Registration is for planned events; this one began in the past but is still planned until marked held.
  await register(admin, eventId, w.a);
  await register(admin, eventId, w.b);
  await refused(() => admin.run(`mutation ($e: ID!, $ids: [ID!]!) { markAttendance(eventId: $e, educatorIds: $ids, isAttended: true) { id } }`,
    { e: eventId, ids: [w.a, w.b] }), 'CONFLICT'); // b is on the waiting list
  await admin.data(`mutation ($e: ID!, $ids: [ID!]!) { markAttendance(eventId: $e, educatorIds: $ids, isAttended: true) { isAttended } }`, { e: eventId, ids: [w.a] });
  await admin.data(`mutation ($id: ID!) { setEventStatus(id: $id, status: HELD) { status } }`, { id: eventId });
  const { educator } = await graph.as({ role: 'educator', educatorId: w.a }).data(`query ($id: ID!) { educator(id: $id) {
    participations { isAttended role event { status } } } }`, { id: w.a });
  expect(educator.participations).toContainEqual({ isAttended: true, role: 'LISTENER', event: { status: 'HELD' } });
  const { organization } = await admin.data(`query ($id: ID!) { organization(id: $id) { hostedEvents(from: "2026-01-01", to: "2026-01-31") { id } } }`, { id: w.centre.id });
  expect(organization.hostedEvents).toEqual([{ id: eventId }]);
});

test('the public calendar answers anonymous callers, and nothing else does', async () => {
  const anonymous = graph.anonymous();
  const { calendar } = await anonymous.data(`query ($m: ID!) { calendar(municipalityId: $m, kind: SEMINAR) { id title status timeZone venueName municipalityName } }`, { m: w.town.id });
  expect(calendar.length).toBeGreaterThan(3);
  expect(calendar[0]).toMatchObject({ timeZone: 'Asia/Vladivostok', venueName: 'МЦ', municipalityName: 'Партизанск' });
  expect(calendar.some((e: { status: string }) => e.status === 'CANCELLED')).toBe(true);
  expect((await anonymous.error(`{ events { id } }`)).code).toBe('UNAUTHENTICATED');
  expect((await anonymous.error(`{ competitions { id } }`)).code).toBe('UNAUTHENTICATED');
});
