import type { Knex } from 'knex';
import type { PageRequest, Viewer } from '@mms/platform';

/**
 * The service's announcements (issue 19) and the public news feed, which adds the method associations' publications
 * (read from the profdev subgraph's published views, profdev_api.publication and profdev_api.method_association).
 */

export interface AnnouncementRow {
  id: string;
  title: string;
  body: string;
  topic: string;
  audiences: string[];
  municipalityId: string | null;
  url: string | null;
  status: string;
  publishedAt: string | null;
  pinned: boolean;
  createdAt: string;
}

export interface FeedRow {
  kind: string;
  id: string;
  title: string;
  summary: string | null;
  url: string | null;
  publishedAt: string;
  pinned: boolean;
  municipalityId: string | null;
  topic: string | null;
}

const columns = ['a.id', 'a.title', 'a.body', 'a.topic', 'a.audiences', 'a.municipality_id as municipalityId', 'a.url', 'a.status',
  'a.published_at as publishedAt', 'a.pinned', 'a.created_at as createdAt'];

const iso = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string).toISOString());
const asRow = (row: AnnouncementRow): AnnouncementRow => ({ ...row, publishedAt: iso(row.publishedAt), createdAt: iso(row.createdAt)! });

/** The announcements `viewer` may read: published ones; drafts for those who write them (a methodist: their municipality's). */
export function whereVisible(query: Knex.QueryBuilder, viewer: Viewer): Knex.QueryBuilder {
  if (viewer.role === 'region_admin') return query;
  if (viewer.role === 'municipality_methodist') return query.where((q) => q.where('a.status', 'published').orWhere('a.municipality_id', viewer.municipalityId!));
  return query.where('a.status', 'published');
}

export interface AnnouncementFilter {
  municipalityId?: string | null;
  status?: string | null;
  topic?: string | null;
  audience?: string | null;
}

function filtered(db: Knex, viewer: Viewer, filter: AnnouncementFilter): Knex.QueryBuilder {
  const query = whereVisible(db('announcement as a'), viewer);
  if (filter.municipalityId) query.where((q) => q.where('a.municipality_id', filter.municipalityId!).orWhereNull('a.municipality_id'));
  if (filter.status) query.where('a.status', filter.status);
  if (filter.topic) query.where('a.topic', filter.topic);
  if (filter.audience) query.whereRaw('? = any(a.audiences)', [filter.audience]);
  return query;
}

const sortKey = `(case when a.pinned then 1 else 0 end, coalesce(a.published_at, a.created_at), a.id)`;
export const announcementKey = (row: AnnouncementRow) => [row.pinned ? 1 : 0, row.publishedAt ?? row.createdAt, row.id];
export const isAnnouncementKey = (key: unknown[]) => key.length === 3 && typeof key[0] === 'number' && typeof key[1] === 'string' && typeof key[2] === 'string';

export async function listAnnouncements(db: Knex, viewer: Viewer, filter: AnnouncementFilter, page: PageRequest): Promise<AnnouncementRow[]> {
  const query = filtered(db, viewer, filter).select(columns).orderByRaw('case when a.pinned then 1 else 0 end desc, coalesce(a.published_at, a.created_at) desc, a.id desc').limit(page.limit);
  if (page.after) query.whereRaw(`${sortKey} < (?::int, ?::timestamptz, ?::uuid)`, page.after as [number, string, string]);
  return (await query).map(asRow);
}

export async function countAnnouncements(db: Knex, viewer: Viewer, filter: AnnouncementFilter): Promise<number> {
  const [{ count }] = await filtered(db, viewer, filter).count({ count: '*' });
  return Number(count);
}

export async function announcementsByIds(db: Knex, viewer: Viewer | null, ids: readonly string[]): Promise<AnnouncementRow[]> {
  const query = db('announcement as a').select(columns).whereIn('a.id', ids);
  return (await (viewer ? whereVisible(query, viewer) : query)).map(asRow);
}

export async function lockAnnouncement(db: Knex, id: string): Promise<AnnouncementRow | undefined> {
  await db('announcement').where({ id }).forUpdate().first('id');
  return (await announcementsByIds(db, null, [id]))[0];
}

export async function insertAnnouncement(db: Knex, input: {
  title: string; body: string; topic: string; audiences: string[]; municipalityId: string | null; url?: string | null; pinned: boolean; publishedAt: string | null;
}): Promise<string> {
  const [{ id }] = await db('announcement').insert({
    title: input.title, body: input.body, topic: input.topic, audiences: input.audiences, municipality_id: input.municipalityId, url: input.url ?? null,
    pinned: input.pinned, status: input.publishedAt ? 'published' : 'draft', published_at: input.publishedAt,
  }).returning('id');
  return id;
}

export async function updateAnnouncement(db: Knex, id: string, changes: Record<string, unknown>): Promise<void> {
  await db('announcement').where({ id }).update({ ...changes, updated_at: db.fn.now() });
}

/** Published announcements and association publications of a municipality (and regional ones), pinned first, latest first. */
export async function newsFeed(db: Knex, municipalityId: string | null, limit: number): Promise<FeedRow[]> {
  const { rows } = await db.raw(`
    select * from (
      select 'announcement' as kind, a.id, a.title, a.body as summary, a.url, a.published_at as "publishedAt", a.pinned,
        a.municipality_id as "municipalityId", a.topic
      from events.announcement a
      where a.status = 'published' and (?::uuid is null or a.municipality_id = ?::uuid or a.municipality_id is null)
      union all
      select 'association_publication', p.id, p.title, null, p.url, p.published_on::timestamptz, false, ma.municipality_id, null
      from profdev_api.publication p join profdev_api.method_association ma on ma.id = p.association_id
      where ?::uuid is null or ma.municipality_id = ?::uuid
    ) f
    order by f.pinned desc, f."publishedAt" desc, f.id
    limit ?`, [municipalityId, municipalityId, municipalityId, municipalityId, limit]);
  return rows.map((row: FeedRow) => ({ ...row, publishedAt: iso(row.publishedAt)! }));
}
