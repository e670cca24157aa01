import crypto from 'node:crypto';
import type { GraphQLResolveInfo } from 'graphql';
import { isUuid, readScope, rowLoader } from '@mms/platform';
import type { Context } from '../loaders';
import type { Resolvers } from '../generated/graphql';
import { competitionResolvers } from '../resolvers/competition';
import { eventResolvers } from '../resolvers/event';
import { olympiadsByIds, tasksByIds } from '../store/olympiads';
import { activitiesByIds, plansByIds } from '../store/plans';
import { participationsInScopeByIds } from '../store/events';

type ById = (parent: unknown, args: { id: string }, ctx: unknown, info: GraphQLResolveInfo) => unknown;

/** The entity resolver of a Node type is its own by-id query: `node(id:)` gives what that query gives, scope included. */
const asEntity = (resolvers: Resolvers, field: string) => {
  const byId = (resolvers.Query as Record<string, ById>)[field];
  return ((ref: { id: string }, ctx: unknown, info: GraphQLResolveInfo) => byId(null, { id: ref.id }, ctx, info)) as never;
};

/** By-id loaders of the types that have no by-id query, per request (kept beside its context): one statement per type. */
function createLoaders(ctx: Context) {
  const ids = (keys: readonly string[]) => keys.filter(isUuid);
  return {
    Olympiad: rowLoader((keys) => olympiadsByIds(ctx.db, ids(keys)), (row) => row.id),
    OlympiadTask: rowLoader((keys) => tasksByIds(ctx.db, ids(keys)), (row) => row.id),
    AnnualPlan: rowLoader((keys) => plansByIds(ctx.db, ids(keys)), (row) => row.id),
    PlanActivity: rowLoader((keys) => activitiesByIds(ctx.db, ids(keys)), (row) => row.id),
    // As `Event.participations` shows them: the participations of educators in the caller's scope (null otherwise).
    Participation: rowLoader((keys) => participationsInScopeByIds(ctx.db, readScope(ctx.viewer), ids(keys)), (row) => row.id),
  };
}
const loaders = new WeakMap<object, ReturnType<typeof createLoaders>>();

/**
 * Olympiads and annual plans (with their tasks and activities) are read by every signed-in caller (`olympiads`,
 * `annualPlan`: readScope alone), so by id too.
 */
const openToSignedIn = (type: keyof ReturnType<typeof createLoaders>) => ((ref: { id: string }, ctx: Context) => {
  readScope(ctx.viewer);
  let mine = loaders.get(ctx);
  if (!mine) {
    mine = createLoaders(ctx);
    loaders.set(ctx, mine);
  }
  return mine[type].load(ref.id);
}) as never;

/** The namespace of calendar entries' ids (a random UUID, fixed once): RFC 9562 name-based ids, version 5. */
const calendarEntryNamespace = Buffer.from('5f0c2b8e4d6a4f1e9b3c7a1d2e4f6a8b', 'hex');

/**
 * A calendar entry's own id: a UUID derived from its event's (version 5, SHA-1 of the namespace and the event id), so
 * it is stable, needs no storage, and is never the event's id (a normalized cache keeps them apart).
 */
export function calendarEntryId(eventId: string): string {
  const hash = crypto.createHash('sha1').update(calendarEntryNamespace).update(eventId.toLowerCase()).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Relay: the entity resolvers of events' Node types, and calendar entries' own ids. */
export const relayResolvers: Resolvers = {
  Event: { __resolveReference: asEntity(eventResolvers, 'event') },
  Competition: { __resolveReference: asEntity(competitionResolvers, 'competition') },
  Stage: { __resolveReference: asEntity(competitionResolvers, 'stage') },
  // No by-id queries of their own: a competition's nominations and criteria are read by every signed-in caller, as
  // the competition is (competition(id:), competitions).
  Nomination: { __resolveReference: ((ref: { id: string }, ctx: Context) => { readScope(ctx.viewer); return ctx.loaders.nomination.load(ref.id); }) as never },
  Criterion: { __resolveReference: ((ref: { id: string }, ctx: Context) => { readScope(ctx.viewer); return ctx.loaders.criterion.load(ref.id); }) as never },
  // The applications the caller may see, as everywhere (its scope, or a juror of the competition); null otherwise.
  CompetitionApplication: { __resolveReference: ((ref: { id: string }, ctx: Context) => { readScope(ctx.viewer); return ctx.loaders.application.load(ref.id); }) as never },
  Olympiad: { __resolveReference: openToSignedIn('Olympiad') },
  OlympiadTask: { __resolveReference: openToSignedIn('OlympiadTask') },
  AnnualPlan: { __resolveReference: openToSignedIn('AnnualPlan') },
  PlanActivity: { __resolveReference: openToSignedIn('PlanActivity') },
  // ---- more nodes (issue 17) ----
  Participation: { __resolveReference: openToSignedIn('Participation') },
  // A stage's jury is read by every signed-in caller, as the stage is (`Stage.jury`).
  JuryMember: { __resolveReference: ((ref: { id: string }, ctx: Context) => { readScope(ctx.viewer); return ctx.loaders.juryMember.load(ref.id); }) as never },
  CalendarEntry: {
    id: (entry) => calendarEntryId(entry.id),
    eventId: (entry) => entry.id,
  },
};
