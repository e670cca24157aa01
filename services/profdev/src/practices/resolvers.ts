import { authorize, forbidden, pageRequest, parseId, parseInput, toConnection, unauthenticated, type Viewer } from '@mms/platform';
import { z } from 'zod';
import type { Resolvers } from '../generated/graphql';
import { date, id } from '../validate';
import { weightedScore } from './rules';
import * as service from './service';
import * as store from './store';

/**
 * The bank of practices through the graph (issue 19). Reads are open to anonymous callers for RECOMMENDED practices
 * (who sees what is decided in SQL, practices/store.ts `whereVisible`); anonymous readers never see educator ids,
 * reviewers or who took a step, and an author's name only when that author consented.
 */

const practiceFilter = z.object({
  search: z.string().trim().max(500).nullish(),
  subjectArea: z.string().trim().max(200).nullish(),
  competencyId: id.nullish(),
  stage: z.string().nullish(),
  organizationId: id.nullish(),
  municipalityId: id.nullish(),
  authorId: id.nullish(),
  schoolLevel: z.string().nullish(),
}).nullish().transform((f) => f ?? {});

const isAnonymous = (viewer: Viewer) => viewer.role === 'anonymous';

/** An educator acting as themself: the token's educator id, or FORBIDDEN. */
function ownEducator(viewer: Viewer, what: string): string {
  if (viewer.role === 'anonymous') throw unauthenticated(`sign in: ${what}`);
  if (viewer.role !== 'educator' || !viewer.educatorId) throw forbidden(`only an educator ${what}`);
  return viewer.educatorId;
}

export const practiceResolvers: Resolvers = {
  Query: {
    practices: async (_, { filter, first, after }, ctx) => {
      const valid = parseInput(practiceFilter, filter, 'filter');
      const page = pageRequest('profdev.practices by title', first, after);
      const rows = await store.listPractices(ctx.db, ctx.viewer, valid, page);
      return toConnection(rows, page, (row) => [row.title, row.id], () => store.countPractices(ctx.db, ctx.viewer, valid));
    },
    practice: async (_, args, ctx) => {
      const practiceId = parseId(args.id);
      const row = await ctx.loaders.practice.load(practiceId);
      if (!row && isAnonymous(ctx.viewer)) throw unauthenticated(`practice ${practiceId} is not public: sign in`);
      return row;
    },
    practicesToReview: (_, __, ctx) => store.reviewsOfReviewer(ctx.db, ownEducator(ctx.viewer, 'reviews practices')),
  },
  Mutation: {
    submitPractice: async (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'practice:submit');
      const valid = parseInput(service.submitInput, input);
      const practiceId = await ctx.transaction((trx) => service.submitPractice(trx, scope, service.actorOf(ctx.viewer), valid));
      return (await store.practicesByIds(ctx.db, null, [practiceId]))[0];
    },
    advancePractice: async (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'practice:study');
      const practiceId = parseId(args.id);
      const valid = parseInput(service.advanceInput, args.input);
      await ctx.transaction((trx) => service.advancePractice(trx, scope, service.actorOf(ctx.viewer), practiceId, valid));
      return (await store.practicesByIds(ctx.db, null, [practiceId]))[0];
    },
    setPracticeConsent: async (_, args, ctx) => {
      const educatorId = ownEducator(ctx.viewer, 'consents to publishing their own name');
      const practiceId = parseId(args.practiceId, 'practiceId');
      const valid = parseInput(service.consentInput, args.input);
      await ctx.transaction((trx) => service.setConsent(trx, educatorId, practiceId, valid));
      return (await store.practicesByIds(ctx.db, null, [practiceId]))[0];
    },
    openPracticeReview: async (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'practice:study');
      const valid = parseInput(service.reviewInput, input);
      const reviewId = await ctx.transaction((trx) => service.openReview(trx, scope, valid));
      return (await store.findReview(ctx.db, reviewId))!;
    },
    addPracticeReviewer: async (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'practice:study');
      const reviewId = parseId(args.reviewId, 'reviewId');
      const educatorId = parseId(args.educatorId, 'educatorId');
      await ctx.transaction((trx) => service.addReviewer(trx, scope, reviewId, educatorId));
      return (await store.findReview(ctx.db, reviewId))!;
    },
    scorePractice: async (_, { input }, ctx) => {
      authorize(ctx.viewer, 'score:write');
      const educatorId = ownEducator(ctx.viewer, 'scores as a reviewer');
      const valid = parseInput(service.scoresInput, input);
      await ctx.transaction((trx) => service.score(trx, educatorId, valid));
      return (await store.findReview(ctx.db, valid.reviewId))!;
    },
    closePracticeReview: async (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'practice:study');
      const reviewId = parseId(args.reviewId, 'reviewId');
      const closedOn = parseInput(date.nullish(), args.closedOn, 'closedOn');
      await ctx.transaction((trx) => service.closeReview(trx, scope, reviewId, closedOn));
      return (await store.findReview(ctx.db, reviewId))!;
    },
    recordPracticePresentation: async (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'practice:study');
      const valid = parseInput(service.presentationInput, input);
      await ctx.transaction((trx) => service.recordPresentation(trx, scope, valid));
      return (await store.practicesByIds(ctx.db, null, [valid.practiceId]))[0];
    },
  },
  Practice: {
    organization: (p) => ({ id: p.organizationId }),
    competencies: async (p, _, ctx) => (await ctx.loaders.competenciesOfPractice.load(p.id)).map((row) => row.competency),
    authors: (p, _, ctx) => ctx.loaders.authorsOfPractice.load(p.id),
    steps: (p, _, ctx) => ctx.loaders.stepsOfPractice.load(p.id),
    presentations: (p, _, ctx) => ctx.loaders.presentationsOfPractice.load(p.id),
    educatorsReached: async (p, _, ctx) => (await ctx.loaders.presentationsOfPractice.load(p.id)).reduce((sum, row) => sum + (row.educatorsReached ?? 0), 0),
    // Reviews name their reviewers: not for anonymous readers.
    reviews: (p, _, ctx) => (isAnonymous(ctx.viewer) ? [] : ctx.loaders.reviewsOfPractice.load(p.id)),
    files: (p, _, ctx) => ctx.loaders.filesOfPractice.load(p.id),
    materials: (p, _, ctx) => ctx.loaders.materialsOfPractice.load(p.id),
  },
  PracticeAuthor: {
    educator: (a, _, ctx) => (isAnonymous(ctx.viewer) ? null : { id: a.educatorId }),
    organization: (a) => (a.organizationId ? { id: a.organizationId } : null),
    publicName: (a) => (a.consentToPublish ? a.publicName : null),
  },
  PracticeStep: {
    actorRole: (s, _, ctx) => (isAnonymous(ctx.viewer) ? null : s.actorRole),
    actorEducator: (s, _, ctx) => (isAnonymous(ctx.viewer) || !s.actorEducatorId ? null : { id: s.actorEducatorId }),
  },
  PracticeReview: {
    criteria: (r, _, ctx) => ctx.loaders.criteriaOfReview.load(r.id),
    reviewers: (r, _, ctx) => ctx.loaders.reviewersOfReview.load(r.id),
    weightedScore: async (r, _, ctx) => {
      if (!r.closedOn) return null;
      const [criteria, scores] = await Promise.all([ctx.loaders.criteriaOfReview.load(r.id), ctx.loaders.scoresOfReview.load(r.id)]);
      return weightedScore(criteria, scores);
    },
    // Hidden until the review closes: before that, a reviewer sees their own scores only.
    scores: async (r, _, ctx) => {
      const scores = await ctx.loaders.scoresOfReview.load(r.id);
      if (r.closedOn) return scores;
      return ctx.viewer.role === 'educator' ? scores.filter((s) => s.reviewerEducatorId === ctx.viewer.educatorId) : [];
    },
  },
  PracticeReviewer: {
    educator: (v) => ({ id: v.educatorId }),
    hasScored: async (v, _, ctx) => v.scoredCount >= (await ctx.loaders.criteriaOfReview.load(v.reviewId)).length,
  },
};
