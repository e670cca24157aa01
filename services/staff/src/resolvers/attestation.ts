import { parseInput, personOrder, readScope, today, authorize } from '@mms/platform';
import * as attestation from '../attestation';
import type { Resolvers } from '../generated/graphql';
import { attestationsDue } from '../store/attestations';
import { required } from './organization';

/** The same roles that keep employments keep categories and attestations, each within their scope. */

/** Categories and attestation: Query.attestationsDue, the attestation mutations, CategoryAward, Attestation. */
export const attestationResolvers: Resolvers = {
  Query: {
    attestationsDue: (_, args, ctx) => {
      const scope = readScope(ctx.viewer);
      const { scope: narrowed, before } = parseInput(attestation.attestationsDueArgs, args, 'args');
      return attestationsDue(ctx.db, scope, { ...narrowed, before, day: today() }, personOrder(ctx.viewer));
    },
  },
  Mutation: {
    recordCategoryAward: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'attestation:write');
      const valid = parseInput(attestation.categoryAwardInput, input);
      return ctx.transaction((trx) => attestation.recordCategoryAward(trx, scope, valid));
    },
    fileAttestation: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'attestation:write');
      const valid = parseInput(attestation.fileAttestationInput, input);
      return ctx.transaction((trx) => attestation.fileAttestation(trx, scope, valid));
    },
    startAttestationReview: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'attestation:write');
      const { id, startedOn } = parseInput(attestation.startReviewArgs, args, 'args');
      return ctx.transaction((trx) => attestation.startAttestationReview(trx, scope, id, startedOn));
    },
    decideAttestation: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'attestation:write');
      const valid = parseInput(attestation.decideAttestationInput, input);
      return ctx.transaction((trx) => attestation.decideAttestation(trx, scope, valid));
    },
  },
  Educator: {
    category: async (educator, { on, position }, ctx) =>
      attestation.categoryOn(await ctx.loaders.categoryAwardsOfEducator.load(educator.id), on ?? today(), position?.trim() || null),
    categoryHistory: (educator, _, ctx) => ctx.loaders.categoryAwardsOfEducator.load(educator.id),
    attestations: (educator, _, ctx) => ctx.loaders.attestationsOfEducator.load(educator.id),
  },
  CategoryAward: {
    // Through the scoped loader: an award is visible with its educator.
    educator: (award, _, ctx) => ctx.loaders.educator.load(award.educatorId).then(required),
    attestation: (award, _, ctx) => (award.attestationId ? ctx.loaders.attestation.load(award.attestationId) : null),
  },
  Attestation: {
    educator: (request, _, ctx) => ctx.loaders.educator.load(request.educatorId).then(required),
    // Only a grant produces an award: no query for the others.
    categoryAward: (request, _, ctx) => (request.outcome === 'granted' ? ctx.loaders.categoryAwardOfAttestation.load(request.id) : null),
  },
  AttestationDue: {
    educator: (due, _, ctx) => ctx.loaders.educator.load(due.educatorId).then(required),
  },
};
