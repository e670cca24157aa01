/**
 * The public calendar as an iCalendar feed (RFC 5545): `GET /calendar.ics?municipalityId=&level=&kind=&from=&to=`, no token.
 *
 * The events are read through the gateway's own GraphQL server, anonymously (`Query.calendar`, the one part of the
 * graph open to anonymous callers), exactly as the export reads educators: nothing here decides what is public.
 * A caller's token, if any, is ignored: the feed is the same for everyone, so calendar apps can subscribe to it.
 *
 * What a calendar app gets:
 * - UID `<event id>@mms`: stable for the life of the event, so a re-fetched feed updates events instead of adding them.
 * - DTSTAMP and LAST-MODIFIED: the event's last change; SEQUENCE: how many times it was changed (raised by every change).
 * - DTSTART/DTEND with TZID = the IANA zone the event is kept in (its municipality's), and a VTIMEZONE for each zone
 *   used, written from the platform's time-zone data (every offset change from 2000 on), so clients need no zone database.
 * - STATUS (see `icalStatus`): CANCELLED for cancelled events (they never vanish from the feed); CONFIRMED for planned
 *   and held ones.
 * - `from`/`to`: local days YYYY-MM-DD, both included (as `Query.calendar`; from a year back when `from` is not given).
 * - Every line ends with CRLF, the last one too; lines are folded at 75 octets (ical-generator).
 * - LOCATION: the venue's name, or the online link; URL: the online link.
 * Refusals are GraphQL-style JSON: 400 for a municipalityId that is not an id, an unknown level or kind, a `from` or
 * `to` that is not a day, or a `from` after `to`.
 * Cached until the data change, builds shared and limited: see CalendarCache (issue 14).
 */
import { createHash } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import ical, { ICalEventStatus } from 'ical-generator';
import { anonymous, callerKey, isUuid } from '@mms/platform';
import type { GatewayContext } from './gateway';
import { Refusal, refusal, runOperation, sendRouteError, statusOf, type GraphRouteOptions } from './graph-routes';

interface CalendarEntry {
  eventId: string; title: string; description: string | null; status: string; kind: string; level: string;
  startsAt: string; endsAt: string; timeZone: string; municipalityName: string; venueName: string | null; onlineUrl: string | null;
  organizerName: string | null; audience: string | null; sequence: number; updatedAt: string; createdAt: string;
}

const query = `query PublicCalendar($municipalityId: ID, $level: EventLevel, $kind: EventKind, $from: Date, $to: Date) {
  calendar(municipalityId: $municipalityId, level: $level, kind: $kind, from: $from, to: $to) {
    eventId title description status kind level startsAt endsAt timeZone municipalityName venueName onlineUrl organizerName audience sequence updatedAt createdAt
  }
}`;

// ---- time zones, from Intl (no zone database shipped) ----

const formats = new Map<string, Intl.DateTimeFormat>();
function wallTime(instant: number, timeZone: string) {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return { year: +parts.year, month: +parts.month, day: +parts.day, hour: +parts.hour, minute: +parts.minute, second: +parts.second };
}
function offsetMinutes(instant: number, timeZone: string): number {
  const w = wallTime(instant, timeZone);
  return Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instant / 1000) * 1000) / 60_000);
}
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const icalOffset = (minutes: number) => `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}${pad(Math.abs(minutes) % 60)}`;
const icalLocal = (instant: number, offset: number) => {
  const d = new Date(instant + offset * 60_000);
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
};

const vtimezones = new Map<string, string>();
/**
 * A VTIMEZONE with every offset change of the zone from 2000 to 2040, each as its own observance (no RRULE to
 * guess): found by scanning week by week and narrowing each change to the minute.
 */
export function vtimezone(timeZone: string): string {
  const cached = vtimezones.get(timeZone);
  if (cached) return cached;
  const start = Date.UTC(2000, 0, 1);
  const end = Date.UTC(2040, 0, 1);
  const week = 7 * 86_400_000;
  const first = offsetMinutes(start, timeZone);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${timeZone}`, 'BEGIN:STANDARD', `DTSTART:${icalLocal(start, first)}`, `TZOFFSETFROM:${icalOffset(first)}`,
    `TZOFFSETTO:${icalOffset(first)}`, 'END:STANDARD'];
  let previous = first;
  for (let t = start + week; t <= end; t += week) {
    const current = offsetMinutes(t, timeZone);
    if (current === previous) continue;
    let low = t - week;
    let high = t;
    while (high - low > 60_000) {
      const middle = low + Math.floor((high - low) / 120_000) * 60_000;
      if (offsetMinutes(middle, timeZone) === previous) low = middle; else high = middle;
    }
    const year = new Date(high).getUTCFullYear();
    const lowest = Math.min(offsetMinutes(Date.UTC(year, 0, 15), timeZone), offsetMinutes(Date.UTC(year, 6, 15), timeZone));
    const kind = current > lowest ? 'DAYLIGHT' : 'STANDARD';
    lines.push(`BEGIN:${kind}`, `DTSTART:${icalLocal(high, previous)}`, `TZOFFSETFROM:${icalOffset(previous)}`, `TZOFFSETTO:${icalOffset(current)}`, `END:${kind}`);
    previous = current;
  }
  lines.push('END:VTIMEZONE');
  const text = `${lines.join('\r\n')}\r\n`;
  vtimezones.set(timeZone, text);
  return text;
}

/** An instant as ical-generator's Temporal.ZonedDateTime-like input: written as local time with TZID. */
function zoned(iso: string, timeZone: string) {
  const instant = Date.parse(iso);
  const w = wallTime(instant, timeZone);
  const zonedValue: Record<string, unknown> = {
    timeZoneId: timeZone, ...w,
    toInstant: () => ({ epochMilliseconds: instant }),
    toString: () => new Date(instant).toISOString(),
    toJSON: () => new Date(instant).toISOString(),
  };
  const plain = { ...w, toZonedDateTime: () => zonedValue, toPlainDate: () => ({ year: w.year, month: w.month, day: w.day }) };
  zonedValue.toPlainDateTime = () => plain;
  zonedValue.withTimeZone = () => zonedValue;
  return zonedValue as never;
}

const levels = ['ORGANIZATION', 'MUNICIPAL', 'REGIONAL', 'FEDERAL'];
const kinds = ['SEMINAR', 'WORKSHOP', 'CONFERENCE', 'MASTER_CLASS', 'WEBINAR', 'PEDAGOGICAL_READINGS', 'OPEN_LESSON', 'ASSOCIATION_MEETING', 'FORUM', 'NETWORKED_EVENT'];

function parameters(req: Request): Record<string, string | null> {
  const one = (name: string) => {
    const value = req.query[name];
    if (value === undefined || value === '') return null;
    if (typeof value !== 'string') throw refusal(400, 'BAD_USER_INPUT', `${name} must be given once`, { field: name });
    return value;
  };
  const municipalityId = one('municipalityId');
  if (municipalityId && !isUuid(municipalityId)) {
    throw refusal(400, 'BAD_USER_INPUT', 'municipalityId is not an id of this graph', { field: 'municipalityId' });
  }
  const level = one('level')?.toUpperCase() ?? null;
  if (level && !levels.includes(level)) throw refusal(400, 'BAD_USER_INPUT', `level must be one of ${levels.join(', ').toLowerCase()}`, { field: 'level' });
  const kind = one('kind')?.toUpperCase() ?? null;
  if (kind && !kinds.includes(kind)) throw refusal(400, 'BAD_USER_INPUT', `kind must be one of ${kinds.join(', ').toLowerCase()}`, { field: 'kind' });
  const from = day(one('from'), 'from');
  const to = day(one('to'), 'to');
  if (from && to && from > to) throw refusal(400, 'BAD_USER_INPUT', `from (${from}) is after to (${to})`, { field: 'from' });
  return { municipalityId, level, kind, from, to };
}

/** A `from`/`to` parameter: a real day YYYY-MM-DD between 1900 and 2100 (the graph's Date), or a 400 saying so. */
function day(value: string | null, name: string): string | null {
  if (value === null) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])) : null;
  if (!match || !date || date.getUTCMonth() !== +match[2] - 1 || date.getUTCDate() !== +match[3]) {
    throw refusal(400, 'BAD_USER_INPUT', `${name} must be a day written YYYY-MM-DD (e.g. 2026-09-01), got ${JSON.stringify(value.slice(0, 40))}`, { field: name });
  }
  if (+match[1] < 1900 || +match[1] > 2100) throw refusal(400, 'BAD_USER_INPUT', `${name} must be a day from 1900-01-01 to 2100-12-31, got ${value}`, { field: name });
  return value;
}

/**
 * The events' statuses (services/events' EventStatus) as iCalendar STATUS. PLANNED is CONFIRMED, not TENTATIVE: a
 * planned event is on the service's published plan with its day and venue, and it takes place unless it is cancelled
 * (which the feed then says); TENTATIVE would make calendar apps show every announced seminar as "maybe". HELD is an
 * event that took place: CONFIRMED. CANCELLED stays in the feed as CANCELLED, so subscribed apps strike it out.
 */
export const icalStatus: Readonly<Record<'PLANNED' | 'HELD' | 'CANCELLED', ICalEventStatus>> = {
  PLANNED: ICalEventStatus.CONFIRMED,
  HELD: ICalEventStatus.CONFIRMED,
  CANCELLED: ICalEventStatus.CANCELLED,
};

/** Renders calendar entries as an iCalendar document. */
export function renderCalendar(entries: readonly CalendarEntry[], name = 'Календарь методической службы'): string {
  const calendar = ical({ name, prodId: { company: 'mms', product: 'public-calendar', language: 'RU' } });
  calendar.timezone({ name: null, generator: vtimezone });
  for (const entry of entries) {
    const location = entry.venueName ?? entry.onlineUrl ?? null;
    calendar.createEvent({
      id: `${entry.eventId}@mms`,
      sequence: entry.sequence,
      stamp: new Date(entry.updatedAt),
      created: new Date(entry.createdAt),
      lastModified: new Date(entry.updatedAt),
      timezone: entry.timeZone,
      start: zoned(entry.startsAt, entry.timeZone),
      end: zoned(entry.endsAt, entry.timeZone),
      summary: entry.title,
      description: [entry.description, entry.audience ? `Для кого: ${entry.audience}` : null, entry.organizerName ? `Организатор: ${entry.organizerName}` : null]
        .filter(Boolean).join('\n') || null,
      location,
      url: entry.onlineUrl,
      // A status this feed does not know (a new one in the schema) gets no STATUS rather than a wrong one.
      status: icalStatus[entry.status as keyof typeof icalStatus] ?? null,
      categories: [{ name: entry.kind }, { name: entry.level }],
    });
  }
  // RFC 5545 §3.1: every content line ends with CRLF, the last one included (ical-generator leaves it off).
  const text = calendar.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}

const revisionQuery = 'query PublicCalendarRevision { calendarRevision }';

/** A built feed: the document, for the revision of the data it was built from. */
interface BuiltFeed { revision: string; body: string; etag: string }

/** Feeds kept (one per distinct set of parameters); the oldest is dropped past this. */
const maxCachedFeeds = 200;

/**
 * The feed is cached until the data change (issue 14): each request asks the events subgraph for `calendarRevision`
 * (one cheap statement; see services/events), and a feed built for that revision and those parameters is sent as
 * it is, with an ETag (If-None-Match gets 304). Otherwise it is built once: identical requests arriving during a
 * build wait for that build (single-flight) instead of building again. A build is an expensive read for the
 * fair-share limiter (an anonymous caller counts by its address): past the limit, 429 with Retry-After.
 */
export class CalendarCache {
  private readonly feeds = new Map<string, BuiltFeed>();
  private readonly building = new Map<string, Promise<BuiltFeed>>();
  /** Builds started (tests read it). */
  builds = 0;

  async feed(key: string, revision: string, build: () => Promise<string>): Promise<{ feed: BuiltFeed; cache: 'hit' | 'shared' | 'miss' }> {
    const cached = this.feeds.get(key);
    if (cached?.revision === revision) return { feed: cached, cache: 'hit' };
    const flightKey = `${key}\n${revision}`;
    const flight = this.building.get(flightKey);
    if (flight) return { feed: await flight, cache: 'shared' };
    this.builds += 1;
    const started = build().then((body) => {
      const feed = { revision, body, etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"` };
      this.feeds.delete(key);
      this.feeds.set(key, feed);
      if (this.feeds.size > maxCachedFeeds) this.feeds.delete(this.feeds.keys().next().value!);
      return feed;
    }).finally(() => this.building.delete(flightKey));
    this.building.set(flightKey, started);
    return { feed: await started, cache: 'miss' };
  }
}

/** `GET /calendar.ics`: mounted at the gateway's root. */
export function calendarRouter({ server, context, fairShare }: GraphRouteOptions, cache = new CalendarCache()): Router {
  const router = express.Router();
  /** Runs one anonymous operation of the feed; a failure of the graph becomes a refusal or an error. */
  const ask = async <T>(contextValue: GatewayContext, request: { query: string; variables: Record<string, unknown>; operationName: string }): Promise<T> => {
    const { data, errors } = await runOperation<T>(server, contextValue, request);
    if (errors.length || !data) {
      const code = errors[0]?.extensions?.code;
      if (code === 'BAD_USER_INPUT' || code === 'GRAPHQL_VALIDATION_FAILED') {
        throw new Refusal(400, errors.map((e) => ({ message: e.message, extensions: { code: 'BAD_USER_INPUT' } })));
      }
      if (code === 'RATE_LIMITED' || code === 'SUBGRAPH_TIMEOUT' || code === 'TIMEOUT') throw new Refusal(statusOf(code), errors.slice(0, 1));
      throw new Error(`the calendar query failed: ${errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('; ')}`);
    }
    return data;
  };
  router.get('/calendar.ics', async (req: Request, res: Response) => {
    try {
      const variables = parameters(req);
      // Anonymous on purpose: whatever the caller sends, the feed shows what the graph shows to everyone.
      const contextValue = await context((name) => (name === 'authorization' ? undefined : req.header(name)));
      const { calendarRevision: revision } = await ask<{ calendarRevision: string }>(contextValue, { query: revisionQuery, variables: {}, operationName: 'PublicCalendarRevision' });
      // Keyed by every parameter (from/to included), for the data's revision.
      const { feed, cache: state } = await cache.feed(JSON.stringify(variables), revision, async () => {
        const release = fairShare ? await fairShare.acquire(callerKey(anonymous, req.ip)) : () => {};
        try {
          const data = await ask<{ calendar: CalendarEntry[] }>(contextValue, { query, variables, operationName: 'PublicCalendar' });
          return renderCalendar(data.calendar);
        } finally {
          release();
        }
      });
      res.setHeader('ETag', feed.etag);
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.setHeader('X-Calendar-Cache', state);
      if (req.header('if-none-match') === feed.etag) {
        res.status(304).end();
        return;
      }
      res.status(200);
      res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
      res.setHeader('Content-Disposition', 'inline; filename="calendar.ics"');
      res.send(feed.body);
    } catch (error) {
      sendRouteError(res, error, 'calendar feed');
    }
  });
  return router;
}
