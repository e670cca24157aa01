import { parseInput, periodOf, personOrder, readScope, today, authorize } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import * as statuses from '../statuses';
import {
  assignToRegionalMethodistInput, endTermInput, grantEducatorStatusInput, grantOrganizationStatusInput, periodAsked, statusScopeInput,
} from '../statuses';
import { listEducatorStatuses, listOrganizationStatuses } from '../store/statuses';
import { required } from './organization';

/**
 * Statuses with terms and regional-methodist assignments. Who may write is decided per status in ../statuses.ts:
 * here only the roles that may write any of them.
 */

const documentOf = (status: { documentNumber: string; documentDate: string; documentTitle: string | null }) =>
  ({ number: status.documentNumber, date: status.documentDate, title: status.documentTitle });

export const statusResolvers: Resolvers = {
  Query: {
    educatorStatuses: (_, { kind, scope: narrowing, on, academicYear }, ctx) => {
      const scope = readScope(ctx.viewer);
      const period = periodOf({ on, academicYear }, today());
      return listEducatorStatuses(ctx.db, scope, kind, period, parseInput(statusScopeInput, narrowing, 'scope'), personOrder(ctx.viewer));
    },
    organizationStatuses: (_, { kind, scope: narrowing, on, academicYear }, ctx) => {
      readScope(ctx.viewer);
      const period = periodOf({ on, academicYear }, today());
      return listOrganizationStatuses(ctx.db, kind, period, parseInput(statusScopeInput, narrowing, 'scope'));
    },
  },
  Mutation: {
    grantEducatorStatus: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'municipal-status:write');
      const valid = parseInput(grantEducatorStatusInput, input);
      return ctx.transaction((trx) => statuses.grantEducatorStatus(trx, scope, valid));
    },
    endEducatorStatus: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'municipal-status:write');
      const { id, validTo } = parseInput(endTermInput, args, 'args');
      return ctx.transaction((trx) => statuses.endEducatorStatus(trx, scope, id, validTo));
    },
    grantOrganizationStatus: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'municipal-status:write');
      const valid = parseInput(grantOrganizationStatusInput, input);
      return ctx.transaction((trx) => statuses.grantOrganizationStatus(trx, scope, valid));
    },
    endOrganizationStatus: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'municipal-status:write');
      const { id, validTo } = parseInput(endTermInput, args, 'args');
      return ctx.transaction((trx) => statuses.endOrganizationStatus(trx, scope, id, validTo));
    },
    assignToRegionalMethodist: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'regional-status:write');
      const valid = parseInput(assignToRegionalMethodistInput, input);
      return ctx.transaction((trx) => statuses.assignToRegionalMethodist(trx, scope, valid));
    },
    endRegionalMethodistAssignment: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'regional-status:write');
      const { id, validTo } = parseInput(endTermInput, args, 'args');
      return ctx.transaction((trx) => statuses.endRegionalMethodistAssignment(trx, scope, id, validTo));
    },
  },
  EducatorStatus: {
    // Through the scoped loader: lists and writes only reach statuses of educators the caller may see.
    educator: (status, _, ctx) => ctx.loaders.educator.load(status.educatorId).then(required),
    municipality: (status, _, ctx) => (status.municipalityId ? ctx.loaders.municipality.load(status.municipalityId) : null),
    document: documentOf,
  },
  OrganizationStatus: {
    organization: (status, _, ctx) => ctx.loaders.organization.load(status.organizationId).then(required),
    document: documentOf,
  },
  RegionalMethodistAssignment: {
    // The assignment lists keep only assignments whose other side the caller's scope covers.
    methodist: (assignment, _, ctx) => ctx.loaders.educator.load(assignment.methodistId).then(required),
    educator: (assignment, _, ctx) => ctx.loaders.educator.load(assignment.educatorId).then(required),
  },
  Educator: {
    statuses: (educator, args, ctx) => ctx.loaders.statusesOfEducator(periodAsked(args)).load(educator.id),
    assignedEducators: (educator, args, ctx) => ctx.loaders.assignmentsOfMethodist(periodAsked(args)).load(educator.id),
    regionalMethodists: (educator, args, ctx) => ctx.loaders.assignmentsOfEducator(periodAsked(args)).load(educator.id),
  },
  Organization: {
    statuses: (organization, args, ctx) => ctx.loaders.statusesOfOrganization(periodAsked(args)).load(organization.id),
  },
};
