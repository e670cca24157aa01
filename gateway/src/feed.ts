/**
 * The public feed (issue 19): `GET /feed.xml?municipalityId=`, RSS 2.0, no token, beside /calendar.ics. It lists
 * what the regulations say must be on the service's site: recommended practices, public materials, published
 * announcements and the method associations' publications (seed 003 §5.2, 5.5; 001 §3.3.2).
 *
 * As the calendar, it runs one GraphQL operation through the gateway's own server, anonymously, whatever the caller
 * sends: what the feed shows is exactly what the graph shows to everyone (the subgraphs decide). No personal data:
 * authors appear by the names they consented to publish (`publicName`), nothing else about a person.
 *
 * Items: `guid` `<kind>:<id>` (not a permalink), `title`, `description`, `pubDate` (RFC 822; a practice's day of
 * recommendation, a material's day of entry is unknown so its year's 1 January, an announcement's publication),
 * `category` (what it is), `link` (the material's or announcement's link, or the gateway's /files URL of a material's
 * first file), newest first, pinned announcements first. A municipalityId that is not an id is 400.
 */
import express, { type Request, type Response, type Router } from 'express';
import { anonymous, callerKey, isUuid } from '@mms/platform';
import { Refusal, refusal, runOperation, sendRouteError, statusOf, type GraphRouteOptions } from './graph-routes';

const query = `query PublicFeed($municipalityId: ID) {
  practices(filter: { stage: RECOMMENDED, municipalityId: $municipalityId }, first: 50) {
    nodes { id title summary subjectArea recommendationLevel authors { publicName } steps { stage takenOn } }
  }
  materials(filter: { visibility: PUBLIC, municipalityId: $municipalityId }, first: 50) {
    nodes { id title kind annotation year url outsideAuthors authors { publicName } files { url } }
  }
  newsFeed(municipalityId: $municipalityId, first: 50) { kind id title summary url publishedAt pinned topic }
  courseRuns(filter: { status: OPEN, municipalityId: $municipalityId }, first: 50) {
    nodes { id program { title hours } providerKind providerName startsOn endsOn format audience applicationDeadline seats seatsTaken openingOrder { date } }
  }
}`;

interface FeedData {
  practices: { nodes: { id: string; title: string; summary: string; subjectArea: string; recommendationLevel: string | null; authors: { publicName: string | null }[]; steps: { stage: string; takenOn: string }[] }[] };
  materials: { nodes: { id: string; title: string; kind: string; annotation: string | null; year: number | null; url: string | null; outsideAuthors: string | null; authors: { publicName: string | null }[]; files: { url: string }[] }[] };
  newsFeed: { kind: string; id: string; title: string; summary: string | null; url: string | null; publishedAt: string; pinned: boolean; topic: string | null }[];
  courseRuns: { nodes: CourseRunItem[] };
}

interface CourseRunItem {
  id: string; program: { title: string; hours: number }; providerKind: string; providerName: string | null; startsOn: string; endsOn: string; format: string;
  audience: string; applicationDeadline: string; seats: number; seatsTaken: number; openingOrder: { date: string } | null;
}

const formats: Record<string, string> = { IN_PERSON: 'очно', DISTANCE: 'дистанционно', MIXED: 'очно-заочно' };
const ruDate = (day: string) => day.split('-').reverse().join('.');

export interface FeedItem { guid: string; title: string; description: string; link: string | null; pubDate: Date; category: string; pinned: boolean }

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }[c]!))
  // characters XML 1.0 does not allow
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

const names = (authors: { publicName: string | null }[], outside?: string | null) =>
  [...authors.flatMap((a) => (a.publicName ? [a.publicName] : [])), ...(outside ? [outside] : [])].join(', ');

/** The feed's items from the graph's answer, newest first (pinned announcements first). */
export function feedItems(data: FeedData, base: string): FeedItem[] {
  const practices = data.practices.nodes.map((p): FeedItem => {
    const recommended = p.steps.find((s) => s.stage === 'RECOMMENDED');
    const by = names(p.authors);
    return {
      guid: `practice:${p.id}`, title: `Практика: ${p.title}`, link: null, pinned: false,
      description: [p.summary, `Предмет: ${p.subjectArea}`, p.recommendationLevel === 'REGIONAL' ? 'Рекомендована на региональном уровне' : 'Рекомендована на муниципальном уровне',
        by ? `Авторы: ${by}` : null].filter(Boolean).join('\n'),
      pubDate: new Date(`${recommended?.takenOn ?? '1970-01-01'}T00:00:00Z`), category: 'practice',
    };
  });
  const materials = data.materials.nodes.map((m): FeedItem => {
    const by = names(m.authors, m.outsideAuthors);
    return {
      guid: `material:${m.id}`, title: `Материал: ${m.title}`, pinned: false,
      link: m.url ?? (m.files[0] ? `${base}${m.files[0].url}` : null),
      description: [m.annotation, by ? `Авторы: ${by}` : null, m.year ? `Год: ${m.year}` : null].filter(Boolean).join('\n') || m.title,
      pubDate: new Date(`${m.year ?? 1970}-01-01T00:00:00Z`), category: `material/${m.kind.toLowerCase()}`,
    };
  });
  const news = data.newsFeed.map((n): FeedItem => ({
    guid: `${n.kind === 'ANNOUNCEMENT' ? 'announcement' : 'publication'}:${n.id}`, title: n.title, link: n.url, pinned: n.pinned,
    description: n.summary ?? n.title, pubDate: new Date(n.publishedAt),
    category: n.kind === 'ANNOUNCEMENT' ? `announcement/${(n.topic ?? 'news').toLowerCase()}` : 'association-publication',
  }));
  // Course runs open for applications: the upskilling opportunities the service's site keeps current (issue 24).
  const runs = (data.courseRuns?.nodes ?? []).map((r): FeedItem => ({
    guid: `course-run:${r.id}`, title: `Курсы: ${r.program.title}`, link: null, pinned: false,
    description: [`${ruDate(r.startsOn)}–${ruDate(r.endsOn)}, ${formats[r.format] ?? r.format}, ${r.program.hours} ч.`,
      `Для кого: ${r.audience}`, `Заявки до ${ruDate(r.applicationDeadline)}; свободных мест: ${Math.max(0, r.seats - r.seatsTaken)} из ${r.seats}`,
      r.providerKind === 'SERVICE' ? 'Проводит методическая служба' : r.providerName ? `Проводит: ${r.providerName}` : null].filter(Boolean).join('\n'),
    pubDate: new Date(`${r.openingOrder?.date ?? r.startsOn}T00:00:00Z`), category: 'course-run',
  }));
  return [...news, ...practices, ...materials, ...runs].sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.pubDate.getTime() - a.pubDate.getTime() || a.guid.localeCompare(b.guid));
}

/** RSS 2.0 (https://www.rssboard.org/rss-specification). */
export function renderFeed(items: readonly FeedItem[], base: string, municipalityId: string | null): string {
  const self = `${base}/feed.xml${municipalityId ? `?municipalityId=${municipalityId}` : ''}`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '<channel>',
    '<title>Методическая служба: новости, практики, материалы</title>',
    `<link>${escape(base)}/</link>`,
    `<atom:link href="${escape(self)}" rel="self" type="application/rss+xml"/>`,
    '<description>Новости службы, рекомендованные практики, открытые методические материалы и публикации методических объединений</description>',
    '<language>ru</language>',
    // the newest item's day (pinned items come first, so not necessarily the first one's)
    `<lastBuildDate>${new Date(Math.max(0, ...items.map((i) => i.pubDate.getTime()))).toUTCString()}</lastBuildDate>`,
  ];
  for (const item of items) {
    lines.push('<item>', `<title>${escape(item.title)}</title>`);
    if (item.link) lines.push(`<link>${escape(item.link)}</link>`);
    lines.push(`<description>${escape(item.description)}</description>`, `<category>${escape(item.category)}</category>`,
      `<guid isPermaLink="false">${escape(item.guid)}</guid>`, `<pubDate>${item.pubDate.toUTCString()}</pubDate>`, '</item>');
  }
  lines.push('</channel>', '</rss>');
  return `${lines.join('\n')}\n`;
}

/** `GET /feed.xml`: mounted at the gateway's root. */
export function feedRouter({ server, context, fairShare }: GraphRouteOptions): Router {
  const router = express.Router();
  router.get('/feed.xml', async (req: Request, res: Response) => {
    try {
      const raw = req.query.municipalityId;
      if (raw !== undefined && typeof raw !== 'string') throw refusal(400, 'BAD_USER_INPUT', 'municipalityId must be given once', { field: 'municipalityId' });
      const municipalityId = raw ? raw : null;
      if (municipalityId && !isUuid(municipalityId)) throw refusal(400, 'BAD_USER_INPUT', 'municipalityId is not an id of this graph', { field: 'municipalityId' });
      // Anonymous on purpose: the feed shows what the graph shows to everyone.
      const contextValue = await context((name) => (name === 'authorization' ? undefined : req.header(name)));
      const release = fairShare ? await fairShare.acquire(callerKey(anonymous, req.ip)) : () => {};
      let data: FeedData;
      try {
        const { data: answer, errors } = await runOperation<FeedData>(server, contextValue, { query, variables: { municipalityId }, operationName: 'PublicFeed' });
        if (errors.length || !answer) {
          const code = errors[0]?.extensions?.code;
          if (code === 'BAD_USER_INPUT' || code === 'RATE_LIMITED' || code === 'SUBGRAPH_TIMEOUT' || code === 'TIMEOUT') throw new Refusal(statusOf(code), errors.slice(0, 1));
          throw new Error(`the feed query failed: ${errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('; ')}`);
        }
        data = answer;
      } finally {
        release();
      }
      const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
      res.status(200);
      res.setHeader('Content-Type', 'application/rss+xml; charset=utf-8');
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.send(renderFeed(feedItems(data, base), base, municipalityId));
    } catch (error) {
      sendRouteError(res, error, 'public feed');
    }
  });
  return router;
}
