import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import { buildSchema, type GraphQLEnumType } from 'graphql';
import { composeSupergraph, httpDataSources, readApiSchema, startGatewayServer, subgraphs } from '@mms/gateway';
import { startSubgraphServer, type RunningServer } from '@mms/platform';
import { eventsSubgraph } from '@mms/events';
import { staffSubgraph } from '@mms/staff';
import { createTestGraph, regionAdmin, type Client, type TestGraph } from '@mms/testing';
import { createMunicipality, createOrganization } from '../../services/staff/test/fixtures';
import { icalStatus, vtimezone } from '../src/calendar';

/**
 * The public iCalendar feed end to end over HTTP: gateway → events subgraph → PostgreSQL, read back with an
 * independent parser (ical.js), as a calendar app subscribing to it would.
 */
let graph: TestGraph;
let staff: RunningServer;
let events: RunningServer;
let gateway: RunningServer;
let admin: Client;
const world = {} as { town: string; other: string; venue: string; seminar: string; webinar: string; cancelled: string; far: string; held: string; heldOn: string };

beforeAll(async () => {
  graph = await createTestGraph();
  staff = await startSubgraphServer(staffSubgraph, graph.db.staff, 0);
  events = await startSubgraphServer(eventsSubgraph, graph.db.events, 0);
  const urls: Record<string, string> = { staff: `${staff.url}/graphql`, events: `${events.url}/graphql` };
  gateway = await startGatewayServer({ supergraphSdl: composeSupergraph(subgraphs), buildService: httpDataSources((name) => urls[name]), port: 0 });
  admin = graph.as(regionAdmin);
  world.town = (await createMunicipality(admin, { name: 'Партизанск', timeZone: 'Asia/Vladivostok' })).id;
  world.other = (await createMunicipality(admin, { name: 'Боксит', timeZone: 'Europe/Moscow' })).id;
  world.venue = (await createOrganization(admin, world.town, { name: 'Методический центр; зал № 2', shortName: 'МЦ, зал 2' })).id;
  const farVenue = (await createOrganization(admin, world.other, { name: 'Школа' })).id;
  const create = async (input: Record<string, unknown>) => (await admin.data(`mutation ($input: CreateEventInput!) { createEvent(input: $input) { id } }`,
    { input: { kind: 'SEMINAR', level: 'MUNICIPAL', municipalityId: world.town, venueOrganizationId: world.venue, ...input } })).createEvent.id;
  world.seminar = await create({ title: 'Семинар, ч. 1: «функциональная грамотность»', startsAt: '2026-12-10T10:00:00+10:00', endsAt: '2026-12-10T12:30:00+10:00',
    description: 'Строка 1\nСтрока 2; с запятой, и точкой с запятой' });
  world.webinar = await create({ title: 'Вебинар', kind: 'WEBINAR', level: 'REGIONAL', venueOrganizationId: null, onlineUrl: 'https://edu.example/w/1',
    startsAt: '2026-12-15T15:00:00+10:00', endsAt: '2026-12-15T16:00:00+10:00' });
  world.cancelled = await create({ title: 'Отменённый мастер-класс', kind: 'MASTER_CLASS', startsAt: '2026-12-20T10:00:00+10:00', endsAt: '2026-12-20T11:00:00+10:00' });
  await admin.data(`mutation ($id: ID!) { setEventStatus(id: $id, status: CANCELLED) { id } }`, { id: world.cancelled });
  await admin.data(`mutation ($id: ID!) { updateEvent(id: $id, input: { title: "Семинар, ч. 1: «функциональная грамотность»" }) { id } }`, { id: world.seminar });
  // Held: it began two days ago (an event is held only once it has begun).
  const began = new Date(Date.now() - 2 * 86_400_000);
  world.held = await create({ title: 'Прошедший семинар', startsAt: began.toISOString(), endsAt: new Date(began.getTime() + 3_600_000).toISOString() });
  world.heldOn = began.toISOString();
  await admin.data(`mutation ($id: ID!) { setEventStatus(id: $id, status: HELD) { id } }`, { id: world.held });
  world.far = await create({ title: 'Далёкий семинар', municipalityId: world.other, venueOrganizationId: farVenue,
    startsAt: '2026-12-11T10:00:00+03:00', endsAt: '2026-12-11T11:00:00+03:00' });
}, 60_000);

afterAll(async () => {
  await gateway.stop();
  await events.stop();
  await staff.stop();
  await graph.close();
});

async function feed(params: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const url = new URL(`${gateway.url}/calendar.ics`);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const response = await fetch(url, { headers });
  return { response, text: await response.text() };
}

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const vevents = calendar.getAllSubcomponents('vevent');
  return { calendar, events: vevents.map((v) => ({ component: v, event: new ICAL.Event(v) })) };
}

test('the feed is served without a token and parses as RFC 5545 with UID, DTSTAMP, SEQUENCE, TZID and VTIMEZONE', async () => {
  const { response, text } = await feed({ municipalityId: world.town });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
  expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
  const { calendar, events: parsed } = parse(text);
  expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
  expect(calendar.getFirstPropertyValue('prodid')).toEqual(expect.any(String));
  expect(parsed.map((e) => e.event.uid).sort()).toEqual([`${world.cancelled}@mms`, `${world.seminar}@mms`, `${world.webinar}@mms`, `${world.held}@mms`].sort());

  const seminar = parsed.find((e) => e.event.uid === `${world.seminar}@mms`)!;
  expect(seminar.event.summary).toBe('Семинар, ч. 1: «функциональная грамотность»');
  expect(seminar.event.description).toContain('Строка 2; с запятой, и точкой с запятой');
  expect(seminar.event.location).toBe('МЦ, зал 2');
  expect(seminar.component.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Asia/Vladivostok');
  expect(seminar.event.startDate.toString()).toBe('2026-12-10T10:00:00');
  // Through the VTIMEZONE the feed carries, the local time is the instant stored.
  expect(seminar.event.startDate.toJSDate().toISOString()).toBe('2026-12-10T00:00:00.000Z');
  expect(seminar.event.endDate.toJSDate().toISOString()).toBe('2026-12-10T02:30:00.000Z');
  expect(seminar.event.sequence).toBe(1); // changed once
  expect(seminar.component.getFirstPropertyValue('dtstamp')).toBeTruthy();
  expect(seminar.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
  expect(calendar.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'))).toEqual(['Asia/Vladivostok']);

  const webinar = parsed.find((e) => e.event.uid === `${world.webinar}@mms`)!;
  expect(webinar.event.location).toBe('https://edu.example/w/1');
  expect(webinar.component.getFirstPropertyValue('url')).toBe('https://edu.example/w/1');
});

test('a cancelled event stays in the feed, marked CANCELLED, under the same UID', async () => {
  const { events: parsed } = parse((await feed({ municipalityId: world.town })).text);
  const cancelled = parsed.find((e) => e.event.uid === `${world.cancelled}@mms`)!;
  expect(cancelled.component.getFirstPropertyValue('status')).toBe('CANCELLED');
  expect(cancelled.event.sequence).toBe(1);
});

test('the UID and DTSTAMP are stable between fetches; filters by level and kind; a token changes nothing', async () => {
  const first = await feed({ municipalityId: world.town });
  const second = await feed({ municipalityId: world.town }, { authorization: 'Bearer not-even-a-token' });
  expect(second.response.status).toBe(200);
  expect(second.text).toBe(first.text);
  const regional = parse((await feed({ level: 'regional' })).text).events.map((e) => e.event.uid);
  expect(regional).toEqual([`${world.webinar}@mms`]);
  const seminars = parse((await feed({ kind: 'SEMINAR' })).text).events.map((e) => e.event.uid).sort();
  expect(seminars).toEqual([`${world.seminar}@mms`, `${world.far}@mms`, `${world.held}@mms`].sort());
  const moscow = parse((await feed({ municipalityId: world.other })).text);
  expect(moscow.events[0].component.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Europe/Moscow');
  expect(moscow.events[0].event.startDate.toJSDate().toISOString()).toBe('2026-12-11T07:00:00.000Z');
});

test('a bad filter is a 400 with BAD_USER_INPUT', async () => {
  for (const params of [{ municipalityId: 'nope' }, { level: 'galactic' }, { kind: 'party' }] as Record<string, string>[]) {
    const { response, text } = await feed(params);
    expect(response.status).toBe(400);
    expect(JSON.parse(text).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  }
});

test('VTIMEZONE lists every offset change: Moscow\'s 2011 and 2014 changes, Berlin\'s summer time', () => {
  const moscow = vtimezone('Europe/Moscow');
  expect(moscow).toContain('TZOFFSETTO:+0400');
  expect(moscow.match(/BEGIN:(STANDARD|DAYLIGHT)/g)!.length).toBeGreaterThan(20);
  const zone = new ICAL.Timezone(new ICAL.Component(ICAL.parse(`BEGIN:VCALENDAR\r\n${vtimezone('Europe/Berlin')}END:VCALENDAR\r\n`)).getFirstSubcomponent('vtimezone')!);
  const summer = ICAL.Time.fromData({ year: 2030, month: 7, day: 1, hour: 12, minute: 0, second: 0 }, zone);
  expect(summer.toJSDate().toISOString()).toBe('2030-07-01T10:00:00.000Z');
});

/** Every content line of the text: it must end with CRLF, have no bare CR or LF, and fold at 75 octets. */
function contentLines(text: string): string[] {
  expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
  const lines = text.slice(0, -2).split('\r\n');
  for (const line of lines) {
    expect({ line, bare: /[\r\n]/.test(line) }).toEqual({ line, bare: false });
    expect({ line, octets: Math.min(Buffer.byteLength(line), 76) }).toEqual({ line, octets: Math.min(Buffer.byteLength(line), 75) });
  }
  return lines;
}

test('RFC 5545 to the last line: CRLF after every line, the last too; folded at 75 octets; read by a third parser (node-ical)', async () => {
  const { text } = await feed({ municipalityId: world.town });
  const lines = contentLines(text);
  expect(lines.at(-1)).toBe('END:VCALENDAR');
  expect(lines.some((line) => line.startsWith(' '))).toBe(true); // the long Cyrillic lines are folded
  // node-ical (a parser of its own, not ical.js): the same events, instants, statuses and text.
  const parsed = nodeIcal.sync.parseICS(text);
  const vevents = Object.values(parsed).filter((c): c is nodeIcal.VEvent => c?.type === 'VEVENT');
  expect(vevents.map((e) => e.uid).sort()).toEqual([`${world.cancelled}@mms`, `${world.seminar}@mms`, `${world.webinar}@mms`, `${world.held}@mms`].sort());
  const seminar = vevents.find((e) => e.uid === `${world.seminar}@mms`)!;
  expect(seminar.start.toISOString()).toBe('2026-12-10T00:00:00.000Z');
  expect(seminar.end?.toISOString()).toBe('2026-12-10T02:30:00.000Z');
  expect(seminar.start.tz).toBe('Asia/Vladivostok');
  expect(seminar.summary).toBe('Семинар, ч. 1: «функциональная грамотность»');
  expect(seminar.description).toContain('Строка 2; с запятой, и точкой с запятой');
  expect(seminar.location).toBe('МЦ, зал 2');
  expect(String(seminar.sequence)).toBe('1');
  const held = vevents.find((e) => e.uid === `${world.held}@mms`)!;
  expect(held.start.toISOString()).toBe(new Date(Math.floor(Date.parse(world.heldOn) / 1000) * 1000).toISOString());
  expect(Object.fromEntries(vevents.map((e) => [e.uid, e.status]))).toEqual({
    [`${world.seminar}@mms`]: 'CONFIRMED', [`${world.webinar}@mms`]: 'CONFIRMED', [`${world.held}@mms`]: 'CONFIRMED', [`${world.cancelled}@mms`]: 'CANCELLED',
  });
  const vcalendar = Object.values(parsed).find((c) => c?.type === 'VCALENDAR') as unknown as { version: string; prodid: string };
  expect(vcalendar.version).toBe('2.0');
  expect(vcalendar.prodid).toBe('-//mms//public-calendar//RU');
});

test('every status of the events schema has its iCalendar STATUS: PLANNED and HELD are CONFIRMED, CANCELLED is CANCELLED', () => {
  const statuses = (buildSchema(readApiSchema()).getType('EventStatus') as GraphQLEnumType).getValues().map((v) => v.name);
  expect(Object.keys(icalStatus).sort()).toEqual([...statuses].sort());
  expect(icalStatus).toEqual({ PLANNED: 'CONFIRMED', HELD: 'CONFIRMED', CANCELLED: 'CANCELLED' });
});

test('from/to narrow the feed to local days, both included, and the cache keeps each range apart', async () => {
  const uids = (text: string) => parse(text).events.map((e) => e.event.uid).sort();
  const late = await feed({ municipalityId: world.town, from: '2026-12-12', to: '2026-12-31' });
  expect(late.response.status).toBe(200);
  expect(uids(late.text)).toEqual([`${world.webinar}@mms`, `${world.cancelled}@mms`].sort());
  contentLines(late.text);
  // The seminar starts 2026-12-10 10:00 in Vladivostok (00:00 UTC): a local day, so to=2026-12-10 includes it.
  const one = await feed({ municipalityId: world.town, from: '2026-12-10', to: '2026-12-10' });
  expect(uids(one.text)).toEqual([`${world.seminar}@mms`]);
  const upTo = await feed({ municipalityId: world.town, to: '2026-12-14' });
  expect(uids(upTo.text)).toEqual([`${world.seminar}@mms`, `${world.held}@mms`].sort());
  expect(uids((await feed({ municipalityId: world.town, from: '2030-01-01' })).text)).toEqual([]);
  // Same range again: served from the cache; another range is built on its own.
  const again = await feed({ municipalityId: world.town, from: '2026-12-12', to: '2026-12-31' });
  expect(again.response.headers.get('x-calendar-cache')).toBe('hit');
  expect(again.text).toBe(late.text);
  const other = await feed({ municipalityId: world.town, from: '2026-12-12', to: '2026-12-16' });
  expect(other.response.headers.get('x-calendar-cache')).toBe('miss');
  expect(uids(other.text)).toEqual([`${world.webinar}@mms`]);
});

test('a from or to that is not a day, out of range, given twice, or a from after to is a 400 saying which and why', async () => {
  const cases: [Record<string, string> | string, string, RegExp][] = [
    [{ from: '2026-02-30' }, 'from', /^from must be a day written YYYY-MM-DD \(e\.g\. 2026-09-01\), got "2026-02-30"$/],
    [{ to: '31.12.2026' }, 'to', /^to must be a day written YYYY-MM-DD .*got "31\.12\.2026"$/],
    [{ from: '2026-12-01T00:00:00Z' }, 'from', /^from must be a day written YYYY-MM-DD/],
    [{ from: 'yesterday' }, 'from', /^from must be a day written YYYY-MM-DD/],
    [{ to: '1812-09-07' }, 'to', /^to must be a day from 1900-01-01 to 2100-12-31, got 1812-09-07$/],
    [{ from: '2026-12-31', to: '2026-12-01' }, 'from', /^from \(2026-12-31\) is after to \(2026-12-01\)$/],
    ['from=2026-12-01&from=2026-12-02', 'from', /^from must be given once$/],
  ];
  for (const [params, field, message] of cases) {
    const response = await fetch(`${gateway.url}/calendar.ics?${typeof params === 'string' ? params : new URLSearchParams(params)}`);
    const text = await response.text();
    expect({ params, status: response.status }).toEqual({ params, status: 400 });
    const [error] = JSON.parse(text).errors;
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(error.message).toMatch(message);
  }
});
