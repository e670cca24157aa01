import type { Resolvers } from '../generated/graphql';

/** Categories and attestation: Query.attestationsDue, the attestation mutations, CategoryAward, Attestation. */
export const attestationResolvers: Resolvers = {};
