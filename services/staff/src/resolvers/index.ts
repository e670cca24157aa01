import { mergeResolvers } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import { attestationResolvers } from './attestation';
import { auditResolvers } from './audit';
import { changeResolvers } from './changes';
import { educatorResolvers } from './educator';
import { employmentResolvers } from './employment';
import { importResolvers } from './import';
import { municipalityResolvers } from './municipality';
import { organizationResolvers } from './organization';
import { statusResolvers } from './status';
import { relayResolvers } from '../relay/resolvers';

export const resolvers: Resolvers = mergeResolvers(
  municipalityResolvers, organizationResolvers, educatorResolvers, employmentResolvers, attestationResolvers, statusResolvers, auditResolvers,
  importResolvers, changeResolvers,
  relayResolvers);
