import type { Knex } from 'knex';
import { z } from 'zod';
import { appError, authorize, badInput, forbidden, parseInput, requireMunicipalities, requireOrganizations, type Scope } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import { date, id, text } from '../validate';
import { practicesByIds } from './store';

/**
 * Projects (issue 19, innovation infrastructure): federal, regional and municipal projects grouping practices,
 * events and organizations, with a term. Public, as what the service must tell about (seed 001 §3.3.2 b1): no token
 * needed; a project's practices are those the caller may read. Writes: 'practice:study' (a methodist: municipal
 * projects of their municipality; federal and regional ones: a region admin).
 */

export interface ProjectRow {
  id: string;
  title: string;
  level: string;
  municipalityId: string | null;
  description: string | null;
  startsOn: string;
  endsOn: string | null;
  eventIds: string[];
  organizationIds: string[];
}

const columns = ['p.id', 'p.title', 'p.level', 'p.municipality_id as municipalityId', 'p.description', 'p.starts_on as startsOn', 'p.ends_on as endsOn',
  'p.event_ids as eventIds', 'p.organization_ids as organizationIds'];

export const projectInput = z.object({
  title: text(1000),
  level: z.enum(['federal', 'regional', 'municipal']),
  municipalityId: id.nullish(),
  description: text(20000).nullish(),
  startsOn: date,
  endsOn: date.nullish(),
  practiceIds: z.array(id).max(100).nullish(),
  eventIds: z.array(id).max(100).nullish(),
  organizationIds: z.array(id).max(500).nullish(),
}).refine((p) => !p.endsOn || p.endsOn >= p.startsOn, { message: 'must not be before startsOn', path: ['endsOn'] })
  .refine((p) => (p.level === 'municipal') === Boolean(p.municipalityId), { message: 'is given for a municipal project, and only for it', path: ['municipalityId'] });

const filterInput = z.object({ level: z.string().nullish(), municipalityId: id.nullish(), activeOn: date.nullish() }).nullish().transform((f) => f ?? {});

export async function listProjects(db: Knex, filter: { level?: string | null; municipalityId?: string | null; activeOn?: string | null }, limit: number): Promise<ProjectRow[]> {
  const query = db('project as p').select(columns).orderBy([{ column: 'p.starts_on', order: 'desc' }, { column: 'p.id' }]).limit(limit);
  if (filter.level) query.where('p.level', filter.level);
  if (filter.municipalityId) query.where((q) => q.whereNull('p.municipality_id').orWhere('p.municipality_id', filter.municipalityId!));
  if (filter.activeOn) query.where('p.starts_on', '<=', filter.activeOn).where((q) => q.whereNull('p.ends_on').orWhere('p.ends_on', '>=', filter.activeOn!));
  return query;
}

export async function practiceLinksByProjects(db: Knex, projectIds: readonly string[]): Promise<{ projectId: string; practiceId: string }[]> {
  return db('project_practice').select('project_id as projectId', 'practice_id as practiceId').whereIn('project_id', projectIds).orderBy('id');
}

export async function createProject(trx: Knex, scope: Scope, input: z.infer<typeof projectInput>): Promise<string> {
  if (scope.kind === 'municipality') {
    if (input.level !== 'municipal') throw forbidden('a methodist records municipal projects; federal and regional ones are the region\'s');
    if (input.municipalityId !== scope.municipalityId) throw forbidden(`municipality ${input.municipalityId} is outside your scope`);
  } else if (scope.kind !== 'region') {
    throw forbidden('only methodists record projects');
  }
  if (input.municipalityId) await requireMunicipalities(trx, [input.municipalityId]);
  const unique = (list: string[] | null | undefined) => [...new Set(list ?? [])];
  const organizationIds = unique(input.organizationIds);
  await requireOrganizations(trx, organizationIds);
  const practiceIds = unique(input.practiceIds);
  const found = new Set((await practicesByIds(trx, null, practiceIds)).map((p) => p.id));
  const missing = practiceIds.find((p) => !found.has(p));
  if (missing) throw appError('NOT_FOUND', `practice ${missing} does not exist`, { id: missing, field: 'input.practiceIds' });
  const eventIds = unique(input.eventIds);
  const events = new Set((await trx('events_api.event').whereIn('id', eventIds).select('id')).map((r: { id: string }) => r.id));
  const missingEvent = eventIds.find((e) => !events.has(e));
  if (missingEvent) throw appError('NOT_FOUND', `event ${missingEvent} does not exist`, { id: missingEvent, field: 'input.eventIds' });
  const [{ id: projectId }] = await trx('project').insert({
    title: input.title, level: input.level, municipality_id: input.municipalityId ?? null, description: input.description ?? null,
    starts_on: input.startsOn, ends_on: input.endsOn ?? null, event_ids: eventIds, organization_ids: organizationIds,
  }).returning('id');
  if (practiceIds.length) await trx('project_practice').insert(practiceIds.map((practiceId) => ({ project_id: projectId, practice_id: practiceId })));
  return projectId;
}

export const projectResolvers: Resolvers = {
  Query: {
    // Open to anonymous callers: projects are public information of the service.
    projects: (_, { filter, first }, ctx) => {
      const size = first ?? 50;
      if (!Number.isInteger(size) || size < 0 || size > 200) throw badInput('first must be between 0 and 200', 'first');
      return listProjects(ctx.db, parseInput(filterInput, filter, 'filter'), size);
    },
  },
  Mutation: {
    createProject: async (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'practice:study');
      const valid = parseInput(projectInput, input);
      const projectId = await ctx.transaction((trx) => createProject(trx, scope, valid));
      return (await ctx.db('project as p').select(columns).where('p.id', projectId).first()) as ProjectRow;
    },
  },
  Project: {
    practices: async (p, _, ctx) => {
      const links = await ctx.loaders.practiceLinksOfProject.load(p.id);
      const practices = await Promise.all(links.map((l) => ctx.loaders.practice.load(l.practiceId)));
      return practices.filter((row): row is NonNullable<typeof row> => row !== null);
    },
    organizations: (p) => p.organizationIds.map((organizationId) => ({ id: organizationId })),
  },
};
