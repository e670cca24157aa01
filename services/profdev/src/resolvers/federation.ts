import { periodOf, today } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import { isUpskillingOverdue } from '../rules';

/** Educator and Organization belong to the staff subgraph: a reference is all we need, every field is batched. */
export const federationResolvers: Resolvers = {
  Educator: {
    __resolveReference: (ref) => ({ id: ref.id }),
    completions: (e, _, ctx) => ctx.loaders.completionsOfEducator.load(e.id),
    lastUpskilling: async (e, _, ctx) => (await ctx.loaders.completionsOfEducator.load(e.id))[0] ?? null,
    isUpskillingOverdue: async (e, { on, years }, ctx) => {
      const [last] = await ctx.loaders.completionsOfEducator.load(e.id);
      return isUpskillingOverdue(last?.completedOn ?? null, periodOf({ on }, today()).from, years ?? 3);
    },
    diagnostics: (e, _, ctx) => ctx.loaders.diagnosticsOfEducator.load(e.id),
    deficits: (e, _, ctx) => ctx.loaders.currentDeficitsOfEducator.load(e.id),
    routes: (e, _, ctx) => ctx.loaders.routesOfEducator.load(e.id),
    activeRoute: async (e, { on }, ctx) => {
      const day = periodOf({ on }, today()).from;
      const routes = await ctx.loaders.routesOfEducator.load(e.id);
      return routes.find((r) => r.status === 'active' && r.periodFrom <= day && r.periodTo >= day) ?? null;
    },
    mentorships: (e, { activeOn }, ctx) => ctx.loaders.mentorshipsOfEducator(activeOn).load(e.id),
    supportReceived: (e, _, ctx) => ctx.loaders.supportOfEducator.load(e.id),
    associations: (e, _, ctx) => ctx.loaders.membershipsOfEducator.load(e.id),
  },
  Organization: {
    __resolveReference: (ref) => ({ id: ref.id }),
    growthPoints: (o, { academicYear }, ctx) => ctx.loaders.growthPointsOfOrganization(academicYear).load(o.id),
  },
};
