import { authorize, parseId, parseInput, readScope } from '@mms/platform';
import { z } from 'zod';
import type { Resolvers } from '../generated/graphql';
import * as competitions from '../competitions';
import { listCompetitions } from '../store/competitions';
import { createCompetitionInput, fileApplicationInput, id, juryMemberInput, scoreApplicationInput, text } from '../validate';
import { required } from './required';

export const competitionResolvers: Resolvers = {
  Query: {
    competition: (_, args, ctx) => {
      readScope(ctx.viewer);
      return ctx.loaders.competition.load(parseId(args.id));
    },
    competitions: (_, args, ctx) => {
      readScope(ctx.viewer);
      return listCompetitions(ctx.db, parseInput(z.object({ municipalityId: id.nullish(), year: z.number().int().nullish() }), args, 'args'));
    },
    stage: (_, args, ctx) => {
      readScope(ctx.viewer);
      return ctx.loaders.stage.load(parseId(args.id));
    },
  },
  Mutation: {
    createCompetition: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'competition:write');
      const valid = parseInput(createCompetitionInput, input);
      return ctx.transaction((trx) => competitions.createCompetition(trx, scope, valid));
    },
    addJuryMember: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'competition:write');
      const stageId = parseId(args.stageId, 'stageId');
      const valid = parseInput(juryMemberInput, args.input);
      return ctx.transaction((trx) => competitions.addJuryMember(trx, scope, stageId, valid));
    },
    fileApplication: (_, { input }, ctx) => {
      const valid = parseInput(fileApplicationInput, input);
      return ctx.transaction((trx) => competitions.fileApplication(trx, ctx.viewer, valid));
    },
    reviewApplication: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'competition:write');
      const applicationId = parseId(args.id);
      return ctx.transaction((trx) => competitions.reviewApplication(trx, scope, applicationId, args.status));
    },
    withdrawApplication: (_, args, ctx) => {
      const applicationId = parseId(args.id);
      return ctx.transaction((trx) => competitions.withdrawApplication(trx, ctx.viewer, applicationId));
    },
    declareConflict: (_, args, ctx) => {
      const valid = parseInput(z.object({ stageId: id, applicationId: id, reason: text(2000) }), args, 'args');
      return ctx.transaction((trx) => competitions.declareConflict(trx, ctx.viewer, valid.stageId, valid.applicationId, valid.reason));
    },
    scoreApplication: (_, { input }, ctx) => {
      const valid = parseInput(scoreApplicationInput, input);
      return ctx.transaction((trx) => competitions.scoreApplication(trx, ctx.viewer, valid));
    },
    closeStage: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'competition:write');
      const stageId = parseId(args.stageId, 'stageId');
      return ctx.transaction((trx) => competitions.closeStage(trx, scope, stageId));
    },
  },
  Competition: {
    municipality: (competition) => ({ id: competition.municipalityId }),
    nominations: (competition, _, ctx) => ctx.loaders.nominationsOfCompetition.load(competition.id),
    stages: (competition, _, ctx) => ctx.loaders.stagesOfCompetition.load(competition.id),
    applications: (competition, _, ctx) => ctx.loaders.applicationsOfCompetition.load(competition.id),
    finalResults: (competition, _, ctx) => ctx.loaders.finalResultsOfCompetition.load(competition.id),
  },
  Stage: {
    competition: (stage, _, ctx) => ctx.loaders.competition.load(stage.competitionId).then(required),
    isClosed: (stage) => stage.closedAt !== null,
    criteria: (stage, _, ctx) => ctx.loaders.criteriaOfStage.load(stage.id),
    jury: (stage, _, ctx) => ctx.loaders.juryOfStage.load(stage.id),
    entrants: (stage, _, ctx) => ctx.loaders.entrantsOfStage.load(stage.id),
    scores: (stage, _, ctx) => ctx.loaders.scoresOfStage.load(stage.id),
    conflicts: (stage, _, ctx) => ctx.loaders.conflictsOfStage.load(stage.id),
    results: (stage, _, ctx) => ctx.loaders.resultsOfStage.load(stage.id),
  },
  JuryMember: {
    educator: (juror) => (juror.educatorId ? { id: juror.educatorId } : null),
    organization: (juror) => (juror.organizationId ? { id: juror.organizationId } : null),
  },
  CompetitionApplication: {
    competition: (application, _, ctx) => ctx.loaders.competition.load(application.competitionId).then(required),
    nomination: (application, _, ctx) => ctx.loaders.nomination.load(application.nominationId).then(required),
    educator: (application) => ({ id: application.educatorId }),
    organization: (application) => ({ id: application.organizationId }),
  },
  Score: {
    juryMember: (score, _, ctx) => ctx.loaders.juryMember.load(score.juryMemberId).then(required),
    application: (score, _, ctx) => ctx.loaders.applicationOfVisibleRow.load(score.applicationId).then(required),
    criterion: (score, _, ctx) => ctx.loaders.criterion.load(score.criterionId).then(required),
  },
  ConflictDeclaration: {
    juryMember: (declaration, _, ctx) => ctx.loaders.juryMember.load(declaration.juryMemberId).then(required),
    application: (declaration, _, ctx) => ctx.loaders.applicationOfVisibleRow.load(declaration.applicationId).then(required),
  },
  CompetitionResult: {
    stage: (result, _, ctx) => ctx.loaders.stage.load(result.stageId).then(required),
    application: (result, _, ctx) => ctx.loaders.applicationOfVisibleRow.load(result.applicationId).then(required),
    nomination: (result, _, ctx) => ctx.loaders.nomination.load(result.nominationId).then(required),
    educator: (result) => ({ id: result.educatorId }),
    organization: (result) => ({ id: result.organizationId }),
  },
  Educator: {
    competitionApplications: (educator, _, ctx) => ctx.loaders.applicationsOfEducator.load(educator.id),
    competitionResults: (educator, _, ctx) => ctx.loaders.resultsOfEducator.load(educator.id),
  },
};
