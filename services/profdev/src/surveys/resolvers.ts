import { appError, authorize, groupLoader, isUuid, parseId, parseInput, readScope, rowLoader, today } from '@mms/platform';
import { z } from 'zod';
import type { Resolvers } from '../generated/graphql';
import type { Context } from '../loaders';
import { date } from '../validate';
import { isOpenOn } from './rules';
import { surveyResults } from './results';
import * as store from './store';
import { answersInput, surveyInput } from './validate';
import * as writes from './writes';

/** Surveys of needs (issue 20): queries, mutations and the module's per-request loaders. */

function makeLoaders(ctx: Context) {
  const scope = () => readScope(ctx.viewer);
  const ids = (keys: readonly string[]) => keys.filter(isUuid);
  return {
    survey: rowLoader((keys) => store.surveysByIds(ctx.db, scope(), ids(keys), today()), (row) => row.id),
    questionsOfSurvey: groupLoader((keys) => store.questionsBySurveys(ctx.db, keys), (row) => row.surveyId),
    responseCount: rowLoader((keys) => store.responseCounts(ctx.db, keys), (row) => row.surveyId),
  };
}
const cache = new WeakMap<object, ReturnType<typeof makeLoaders>>();
export function surveyLoaders(ctx: Context) {
  let loaders = cache.get(ctx);
  if (!loaders) cache.set(ctx, (loaders = makeLoaders(ctx)));
  return loaders;
}

/** A survey the caller may see, or NOT_FOUND. */
async function visibleSurvey(ctx: Context, id: string) {
  const survey = await surveyLoaders(ctx).survey.load(parseId(id, 'surveyId'));
  if (!survey) throw appError('NOT_FOUND', `survey ${id} does not exist`, { id });
  return survey;
}

export const surveyResolvers: Resolvers = {
  Query: {
    surveys: (_, { openOn }, ctx) => {
      const day = parseInput(z.object({ openOn: date.nullish() }), { openOn }, 'args').openOn ?? null;
      return store.listSurveys(ctx.db, readScope(ctx.viewer), today(), day, 200);
    },
    survey: (_, args, ctx) => {
      readScope(ctx.viewer);
      return surveyLoaders(ctx).survey.load(parseId(args.id));
    },
    surveyRespondents: async (_, { surveyId }, ctx) => {
      const scope = authorize(ctx.viewer, 'survey:write');
      const survey = await visibleSurvey(ctx, surveyId);
      if (survey.isAnonymous) {
        throw appError('FORBIDDEN', 'the survey is anonymous: who answered is not given out', { reason: 'ANONYMOUS_SURVEY' });
      }
      return store.respondents(ctx.db, scope, survey.id, 1000);
    },
    surveyResults: async (_, { surveyId, municipalityId }, ctx) => {
      const scope = authorize(ctx.viewer, 'survey-results:read');
      const survey = await visibleSurvey(ctx, surveyId);
      let municipalities: string[] | null = municipalityId ? [parseId(municipalityId, 'municipalityId')] : null;
      if (scope.kind === 'municipality') municipalities = municipalities?.filter((m) => m === scope.municipalityId) ?? [scope.municipalityId];
      const suppress = survey.isAnonymous || ctx.viewer.role === 'analyst';
      const withTexts = ctx.viewer.role !== 'analyst';
      return surveyResults(ctx.db, survey, municipalities, suppress, withTexts);
    },
  },
  Mutation: {
    createSurvey: async (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'survey:write');
      const valid = parseInput(surveyInput, input);
      const id = await ctx.transaction((trx) => writes.createSurvey(trx, scope, valid));
      return (await store.findSurvey(ctx.db, id))!;
    },
    closeSurvey: async (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'survey:write');
      const valid = parseInput(z.object({ id: z.guid('is not an id'), on: date.nullish() }), args, 'args');
      const id = await ctx.transaction((trx) => writes.closeSurvey(trx, scope, valid.id, valid.on ?? today()));
      return (await store.findSurvey(ctx.db, id))!;
    },
    answerSurvey: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'survey:answer');
      if (scope.kind !== 'educator') throw appError('FORBIDDEN', 'only educators answer surveys');
      const surveyId = parseId(args.surveyId, 'surveyId');
      const answers = parseInput(answersInput, args.answers, 'answers');
      return ctx.transaction((trx) => writes.answerSurvey(trx, scope.educatorId, surveyId, answers, today()));
    },
  },
  Survey: {
    organization: (s) => (s.organizationId ? { id: s.organizationId } : null),
    association: (s, _, ctx) => (s.associationId ? ctx.loaders.association.load(s.associationId) : null),
    isOpen: (s) => isOpenOn(s, today()),
    questions: (s, _, ctx) => surveyLoaders(ctx).questionsOfSurvey.load(s.id),
    responseCount: async (s, _, ctx) => (await surveyLoaders(ctx).responseCount.load(s.id))?.count ?? 0,
  },
  OptionCount: {
    competency: (c, _, ctx) => (c.competencyId ? ctx.loaders.competency.load(c.competencyId) : null),
  },
  DirectionCount: {
    competency: (c, _, ctx) => (c.competencyId ? ctx.loaders.competency.load(c.competencyId) : null),
  },
};
