import type { Knex } from 'knex';
import { z } from 'zod';
import {
  authorize, badInput, forbidden, notFound, pageRequest, parseId, parseInput, requireMunicipalities, toConnection, unauthenticated, type Scope,
} from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import { id } from '../validate';
import * as store from './store';

/**
 * Announcements and the public news feed (issue 19). Published announcements are public (no token); drafts are read
 * by those who write them. Anonymous readers of a draft get UNAUTHENTICATED, other readers FORBIDDEN.
 */

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const instant = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'is not an instant');

export const announcementInput = z.object({
  title: text(500),
  body: text(50_000),
  topic: z.enum(['news', 'normative_act', 'textbook', 'project', 'competition_results', 'upskilling', 'bulletin']),
  audiences: z.array(z.enum(['teachers', 'heads', 'young_specialists', 'parents'])).max(4).nullish(),
  municipalityId: id.nullish(),
  url: z.string().trim().max(2000).regex(/^https?:\/\/\S+$/, 'must be an http(s) link').nullish(),
  pinned: z.boolean().nullish(),
  publish: z.boolean().nullish(),
  publishedAt: instant.nullish(),
}).refine((v) => !v.publishedAt || v.publish, { message: 'is given with publish: true', path: ['publishedAt'] });

const filterInput = z.object({
  municipalityId: id.nullish(), status: z.string().nullish(), topic: z.string().nullish(), audience: z.string().nullish(),
}).nullish().transform((f) => f ?? {});

/** A methodist writes their municipality's announcements; a region admin any, or regional ones. */
function municipalityFor(scope: Scope, wanted: string | null | undefined): string | null {
  if (scope.kind === 'region') return wanted ?? null;
  if (scope.kind === 'municipality') {
    if (wanted && wanted !== scope.municipalityId) throw forbidden(`municipality ${wanted} is outside your scope`);
    return scope.municipalityId;
  }
  throw forbidden('only methodists write announcements');
}

export async function createAnnouncement(trx: Knex, scope: Scope, input: z.infer<typeof announcementInput>): Promise<string> {
  const municipalityId = municipalityFor(scope, input.municipalityId);
  if (municipalityId) await requireMunicipalities(trx, [municipalityId]);
  return store.insertAnnouncement(trx, {
    ...input, municipalityId, audiences: [...new Set(input.audiences ?? [])], pinned: input.pinned ?? false,
    publishedAt: input.publish ? new Date(input.publishedAt ?? Date.now()).toISOString() : null,
  });
}

async function toChange(trx: Knex, scope: Scope, announcementId: string): Promise<store.AnnouncementRow> {
  const row = await store.lockAnnouncement(trx, announcementId);
  if (!row) throw notFound('announcement', announcementId);
  if (scope.kind !== 'region' && (scope.kind !== 'municipality' || row.municipalityId !== scope.municipalityId)) throw forbidden(`announcement ${announcementId} is outside your scope`);
  return row;
}

export const announcementResolvers: Resolvers = {
  Query: {
    announcements: async (_, { filter, first, after }, ctx) => {
      const valid = parseInput(filterInput, filter, 'filter');
      const page = pageRequest('events.announcements', first, after, store.isAnnouncementKey);
      const rows = await store.listAnnouncements(ctx.db, ctx.viewer, valid, page);
      return toConnection(rows, page, store.announcementKey, () => store.countAnnouncements(ctx.db, ctx.viewer, valid));
    },
    announcement: async (_, args, ctx) => {
      const announcementId = parseId(args.id);
      const [visible] = await store.announcementsByIds(ctx.db, ctx.viewer, [announcementId]);
      if (visible) return visible;
      const [draft] = await store.announcementsByIds(ctx.db, null, [announcementId]);
      if (!draft) return null;
      if (ctx.viewer.role === 'anonymous') throw unauthenticated(`announcement ${announcementId} is a draft: it is not public`);
      throw forbidden(`announcement ${announcementId} is a draft of another municipality`);
    },
    // Open to anonymous callers: published announcements and publications only, nothing about a person.
    newsFeed: async (_, { municipalityId, first }, ctx) => {
      const size = first ?? 50;
      if (!Number.isInteger(size) || size < 0 || size > 200) throw badInput('first must be between 0 and 200', 'first');
      return store.newsFeed(ctx.db, municipalityId ? parseId(municipalityId, 'municipalityId') : null, size);
    },
  },
  Mutation: {
    createAnnouncement: async (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'announcement:write');
      const valid = parseInput(announcementInput, input);
      const announcementId = await ctx.transaction((trx) => createAnnouncement(trx, scope, valid));
      return (await store.announcementsByIds(ctx.db, null, [announcementId]))[0];
    },
    publishAnnouncement: async (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'announcement:write');
      const announcementId = parseId(args.id);
      const publishedAt = parseInput(instant.nullish(), args.publishedAt, 'publishedAt');
      await ctx.transaction(async (trx) => {
        const row = await toChange(trx, scope, announcementId);
        if (row.status === 'published') return;
        await store.updateAnnouncement(trx, announcementId, { status: 'published', published_at: new Date(publishedAt ?? Date.now()).toISOString() });
      });
      return (await store.announcementsByIds(ctx.db, null, [announcementId]))[0];
    },
    setAnnouncementPinned: async (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'announcement:write');
      const announcementId = parseId(args.id);
      await ctx.transaction(async (trx) => {
        await toChange(trx, scope, announcementId);
        await store.updateAnnouncement(trx, announcementId, { pinned: args.pinned });
      });
      return (await store.announcementsByIds(ctx.db, null, [announcementId]))[0];
    },
  },
};
