import { authorize, parseId, parseInput, readScope } from '@mms/platform';
import { z } from 'zod';
import type { Resolvers } from '../generated/graphql';
import * as community from '../community';
import { monthsOf, monthsWithoutPublication } from '../rules';
import { listAssociations, listComplaints, listCouncils, publicationsByAssociations } from '../store/associations';
import {
  associationInput, complaintInput, councilInput, date, id, meetingInput, memberInput, periodArgs, planInput, publicationInput, resolveComplaintInput,
} from '../validate';
import { required } from './required';

const dayArgs = (name: string) => z.object({ id, [name]: date });
const associationFilter = z.object({ municipalityId: id.nullish(), level: z.string().nullish() }).nullish().transform((f) => f ?? {});

export const associationResolvers: Resolvers = {
  Query: {
    methodAssociations: (_, { filter }, ctx) => listAssociations(ctx.db, readScope(ctx.viewer), parseInput(associationFilter, filter, 'filter')),
    methodAssociation: (_, args, ctx) => {
      readScope(ctx.viewer);
      return ctx.loaders.association.load(parseId(args.id));
    },
    associationsPublishingRarely: async (_, { from, to, municipalityId }, ctx) => {
      const scope = readScope(ctx.viewer);
      const period = parseInput(periodArgs, { from, to }, 'args');
      const all = await listAssociations(ctx.db, scope, { municipalityId: municipalityId ? parseId(municipalityId, 'municipalityId') : null });
      const publications = await publicationsByAssociations(ctx.db, all.map((a) => a.id), period);
      const months = monthsOf(period).length;
      return all.flatMap((association) => {
        const own = publications.filter((p) => p.associationId === association.id).map((p) => p.publishedOn);
        const monthsWithout = monthsWithoutPublication(own, period);
        return monthsWithout.length ? [{ association, publicationCount: own.length, monthCount: months, monthsWithout }] : [];
      });
    },
    methodCouncils: (_, __, ctx) => listCouncils(ctx.db, readScope(ctx.viewer)),
    complaints: (_, { from, to, municipalityId }, ctx) => {
      const scope = readScope(ctx.viewer);
      return listComplaints(ctx.db, scope, parseInput(periodArgs, { from, to }, 'args'), municipalityId ? parseId(municipalityId, 'municipalityId') : null);
    },
  },
  Mutation: {
    createMethodAssociation: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'association:write');
      const valid = parseInput(associationInput, input);
      return ctx.transaction((trx) => community.createAssociation(trx, scope, valid));
    },
    addAssociationMember: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'association:write');
      const valid = parseInput(memberInput, input);
      return ctx.transaction((trx) => community.addMember(trx, scope, valid));
    },
    endAssociationMembership: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'association:write');
      const valid = parseInput(dayArgs('leftOn'), args, 'args') as { id: string; leftOn: string };
      return ctx.transaction((trx) => community.endMember(trx, scope, valid.id, valid.leftOn));
    },
    createAssociationPlan: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'association:write');
      const valid = parseInput(planInput, input);
      return ctx.transaction((trx) => community.createPlan(trx, scope, valid));
    },
    adoptAssociationPlan: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'association:write');
      const valid = parseInput(dayArgs('adoptedOn'), args, 'args') as { id: string; adoptedOn: string };
      return ctx.transaction((trx) => community.adoptPlan(trx, scope, valid.id, valid.adoptedOn));
    },
    markPlanItemDone: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'association:write');
      const valid = parseInput(dayArgs('doneOn'), args, 'args') as { id: string; doneOn: string };
      return ctx.transaction((trx) => community.markPlanItemDone(trx, scope, valid.id, valid.doneOn));
    },
    recordPublication: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'association:write');
      const valid = parseInput(publicationInput, input);
      return ctx.transaction((trx) => community.recordPublication(trx, scope, valid));
    },
    createMethodCouncil: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'association:write');
      const valid = parseInput(councilInput, input);
      return ctx.transaction((trx) => community.createCouncil(trx, scope, valid));
    },
    recordCouncilMeeting: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'association:write');
      const valid = parseInput(meetingInput, input);
      return ctx.transaction((trx) => community.recordMeeting(trx, scope, valid));
    },
    recordComplaint: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'complaint:write');
      const valid = parseInput(complaintInput, input);
      return ctx.transaction((trx) => community.recordComplaint(trx, scope, valid));
    },
    resolveComplaint: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'complaint:write');
      const complaintId = parseId(args.id);
      const valid = parseInput(resolveComplaintInput, args.input);
      return ctx.transaction((trx) => community.resolveComplaint(trx, scope, complaintId, valid));
    },
  },
  MethodAssociation: {
    organization: (a) => (a.organizationId ? { id: a.organizationId } : null),
    leader: (a) => (a.leaderId ? { id: a.leaderId } : null),
    members: (a, { activeOn }, ctx) => ctx.loaders.membersOfAssociation(activeOn).load(a.id),
    plans: (a, _, ctx) => ctx.loaders.plansOfAssociation.load(a.id),
    publications: (a, { from, to }, ctx) => ctx.loaders.publicationsOfAssociation({ from, to }).load(a.id),
  },
  AssociationMember: {
    association: (m, _, ctx) => ctx.loaders.association.load(m.associationId).then(required),
    educator: (m) => ({ id: m.educatorId }),
  },
  AssociationPlan: {
    items: (plan, _, ctx) => ctx.loaders.itemsOfPlan.load(plan.id),
  },
  Publication: {
    association: (p, _, ctx) => ctx.loaders.association.load(p.associationId).then(required),
  },
  MethodCouncil: {
    meetings: (council, _, ctx) => ctx.loaders.meetingsOfCouncil.load(council.id),
  },
  Complaint: {
    organization: (c) => (c.organizationId ? { id: c.organizationId } : null),
    educator: (c) => (c.educatorId ? { id: c.educatorId } : null),
  },
};
