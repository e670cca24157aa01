import type { Knex } from 'knex';
import { z } from 'zod';
import {
  appError, authorize, forbidden, notFound, pageRequest, parseId, parseInput, requireEducators, requireMunicipalities, toConnection, unauthenticated, type Scope,
} from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import { id, text } from '../validate';
import { practicesByIds, type PracticeRow } from '../practices/store';
import { consentInput } from '../practices/service';
import * as store from './store';

/**
 * The library of materials through the graph (issue 19). PUBLIC materials are read without a token; INTERNAL ones by
 * signed-in readers of their municipality (a regional one: everyone signed in). Files: see files.ts.
 */

const materialFilter = z.object({
  search: z.string().trim().max(500).nullish(),
  kind: z.string().nullish(),
  audience: z.string().nullish(),
  subjectArea: z.string().trim().max(200).nullish(),
  municipalityId: id.nullish(),
  visibility: z.string().nullish(),
  practiceId: id.nullish(),
}).nullish().transform((f) => f ?? {});

const audiences = z.enum(['teachers', 'heads', 'young_specialists', 'parents']);

export const materialInput = z.object({
  kind: z.enum(['methodical_recommendation', 'normative_document', 'manual', 'collection', 'media', 'bibliography', 'other']),
  title: text(1000),
  subjectArea: text(200).nullish(),
  audiences: z.array(audiences).max(4).nullish(),
  year: z.number().int().min(1900).max(2100).nullish(),
  url: z.string().trim().max(2000).regex(/^https?:\/\/\S+$/, 'must be an http(s) link').nullish(),
  visibility: z.enum(['public', 'internal']),
  municipalityId: id.nullish(),
  annotation: text(20000).nullish(),
  outsideAuthors: text(2000).nullish(),
  authorIds: z.array(id).max(20).nullish(),
  practiceIds: z.array(id).max(50).nullish(),
  eventIds: z.array(id).max(50).nullish(),
  associationIds: z.array(id).max(50).nullish(),
});

/** Adds a material, within the writer's scope (a methodist: their municipality's; a region admin: any, or regional). */
export async function createMaterial(trx: Knex, scope: Scope, input: z.infer<typeof materialInput>): Promise<string> {
  let municipalityId = input.municipalityId ?? null;
  if (scope.kind === 'municipality') {
    if (municipalityId && municipalityId !== scope.municipalityId) throw forbidden(`municipality ${municipalityId} is outside your scope`);
    municipalityId = scope.municipalityId;
  } else if (scope.kind !== 'region') {
    throw forbidden('only methodists keep the library');
  }
  if (municipalityId) await requireMunicipalities(trx, [municipalityId]);
  const unique = (list: string[] | null | undefined) => [...new Set(list ?? [])];
  const authorIds = unique(input.authorIds);
  await requireEducators(trx, authorIds, undefined, 'input.authorIds');
  const practiceIds = unique(input.practiceIds);
  const practices = await practicesByIds(trx, null, practiceIds);
  const missingPractice = practiceIds.find((p) => !practices.some((row) => row.id === p));
  if (missingPractice) throw appError('NOT_FOUND', `practice ${missingPractice} does not exist`, { id: missingPractice, field: 'input.practiceIds' });
  const eventIds = unique(input.eventIds);
  const foundEvents = new Set((await trx('events_api.event').whereIn('id', eventIds).select('id')).map((r: { id: string }) => r.id));
  const missingEvent = eventIds.find((e) => !foundEvents.has(e));
  if (missingEvent) throw appError('NOT_FOUND', `event ${missingEvent} does not exist`, { id: missingEvent, field: 'input.eventIds' });
  const associationIds = unique(input.associationIds);
  const foundAssociations = new Set((await trx('method_association').whereIn('id', associationIds).select('id')).map((r: { id: string }) => r.id));
  const missingAssociation = associationIds.find((a) => !foundAssociations.has(a));
  if (missingAssociation) throw appError('NOT_FOUND', `method association ${missingAssociation} does not exist`, { id: missingAssociation, field: 'input.associationIds' });
  return store.insertMaterial(trx, {
    ...input, municipalityId, audiences: unique(input.audiences), authorIds, practiceIds, eventIds, associationIds,
  });
}

export const materialResolvers: Resolvers = {
  Query: {
    materials: async (_, { filter, first, after }, ctx) => {
      const valid = parseInput(materialFilter, filter, 'filter');
      const page = pageRequest('profdev.materials by year', first, after, store.isMaterialKey);
      const rows = await store.listMaterials(ctx.db, ctx.viewer, valid, page);
      return toConnection(rows, page, store.materialKey, () => store.countMaterials(ctx.db, ctx.viewer, valid));
    },
    material: async (_, args, ctx) => {
      const materialId = parseId(args.id);
      const row = await ctx.loaders.material.load(materialId);
      if (!row && ctx.viewer.role === 'anonymous') throw unauthenticated(`material ${materialId} is not public: sign in`);
      return row;
    },
  },
  Mutation: {
    createMaterial: async (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'material:write');
      const valid = parseInput(materialInput, input);
      const materialId = await ctx.transaction((trx) => createMaterial(trx, scope, valid));
      return (await store.materialsByIds(ctx.db, null, [materialId]))[0];
    },
    setMaterialConsent: async (_, args, ctx) => {
      if (ctx.viewer.role === 'anonymous') throw unauthenticated('sign in: only an author consents to publishing their own name');
      if (ctx.viewer.role !== 'educator' || !ctx.viewer.educatorId) throw forbidden('only an author consents to publishing their own name');
      const educatorId = ctx.viewer.educatorId;
      const materialId = parseId(args.materialId, 'materialId');
      const valid = parseInput(consentInput, args.input);
      await ctx.transaction(async (trx) => {
        if (!(await store.materialsByIds(trx, null, [materialId])).length) throw notFound('material', materialId);
        if (!(await store.setMaterialConsent(trx, materialId, educatorId, valid.consentToPublish, valid.publicName ?? null))) {
          throw forbidden('only an author consents to publishing their own name');
        }
      });
      return (await store.materialsByIds(ctx.db, null, [materialId]))[0];
    },
  },
  Material: {
    authors: (m, _, ctx) => ctx.loaders.authorsOfMaterial.load(m.id),
    practices: async (m, _, ctx) => {
      const links = await ctx.loaders.practiceLinksOfMaterial.load(m.id);
      // Through the practice loader: only the practices the caller may read.
      const practices = await Promise.all(links.map((l) => ctx.loaders.practice.load(l.practiceId)));
      return practices.filter((p): p is PracticeRow => p !== null);
    },
    files: (m, _, ctx) => ctx.loaders.filesOfMaterial.load(m.id),
  },
  StoredFile: {
    url: (f) => `/files/${f.id}`,
  },
};
