import { authorize, badInput, pageRequest, parseId, parseInput, periodOf, readScope, toConnection, today, isUuid } from '@mms/platform';
import { z } from 'zod';
import type { Resolvers } from '../generated/graphql';
import * as development from '../development';
import { countCompletions, completionCursor, listCompletions, upskillingDue } from '../store/completions';
import { listCompetencies, listPrograms } from '../store/programs';
import { competencyInput, completionInput, id, programInput, scopeInput } from '../validate';
import { required } from './required';

const completionFilter = z.object({
  municipalityId: id.nullish(), organizationId: id.nullish(), academicYear: z.string().nullish(), programId: id.nullish(),
  kind: z.string().nullish(), fromDiagnosticOnly: z.boolean().nullish(), federalRegistryOnly: z.boolean().nullish(),
}).nullish().transform((f) => f ?? {});
const programFilter = z.object({
  kind: z.string().nullish(), federalRegistryOnly: z.boolean().nullish(), competencyId: id.nullish(), titleContains: z.string().max(200).nullish(),
}).nullish().transform((f) => f ?? {});
const isDateAndIdKey = (key: unknown[]) => key.length === 2 && typeof key[0] === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(key[0]) && isUuid(key[1]);

export const programResolvers: Resolvers = {
  Query: {
    competencies: (_, __, ctx) => {
      readScope(ctx.viewer);
      return listCompetencies(ctx.db);
    },
    programs: (_, { filter }, ctx) => {
      readScope(ctx.viewer);
      return listPrograms(ctx.db, parseInput(programFilter, filter, 'filter'));
    },
    program: (_, args, ctx) => {
      readScope(ctx.viewer);
      return ctx.loaders.program.load(parseId(args.id));
    },
    completions: async (_, { filter, first, after, last, before }, ctx) => {
      const scope = readScope(ctx.viewer);
      const page = pageRequest('profdev.completions', { first, after, last, before }, undefined, isDateAndIdKey);
      const valid = parseInput(completionFilter, filter, 'filter');
      const rows = await listCompletions(ctx.db, scope, valid, page);
      return toConnection(rows, page, completionCursor, () => countCompletions(ctx.db, scope, valid));
    },
    upskillingDue: async (_, { scope: narrowing, on, years }, ctx) => {
      const scope = readScope(ctx.viewer);
      const day = periodOf({ on }, today()).from;
      const span = years ?? 3;
      if (!Number.isInteger(span) || span < 1 || span > 20) throw badInput('years must be a whole number from 1 to 20', 'years');
      return upskillingDue(ctx.db, scope, parseInput(scopeInput, narrowing, 'scope'), day, span);
    },
  },
  Mutation: {
    createCompetency: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'program:write');
      const valid = parseInput(competencyInput, input);
      return ctx.transaction((trx) => development.createCompetency(trx, scope, valid));
    },
    createProgram: (_, { input }, ctx) => {
      authorize(ctx.viewer, 'program:write');
      const valid = parseInput(programInput, input);
      return ctx.transaction((trx) => development.createProgram(trx, valid));
    },
    recordCompletion: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'completion:write');
      const valid = parseInput(completionInput, input);
      return ctx.transaction((trx) => development.recordCompletion(trx, scope, valid));
    },
  },
  Program: {
    competencies: (program, _, ctx) => ctx.loaders.competenciesOfProgram.load(program.id),
  },
  ProgramCompletion: {
    educator: (completion) => ({ id: completion.educatorId }),
    program: (completion, _, ctx) => ctx.loaders.program.load(completion.programId).then(required),
    isFromDiagnostic: (completion) => completion.diagnosticId !== null,
    diagnostic: (completion, _, ctx) => (completion.diagnosticId ? ctx.loaders.diagnostic.load(completion.diagnosticId) : null),
  },
  UpskillingDue: {
    educator: (row) => ({ id: row.educatorId }),
    lastUpskilling: (row, _, ctx) => (row.lastCompletionId
      ? ctx.loaders.completionsOfEducator.load(row.educatorId).then((all) => all.find((c) => c.id === row.lastCompletionId) ?? null)
      : null),
  },
};
