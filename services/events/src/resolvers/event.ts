import { addDays, authorize, cappedList, maxListSize, parseId, parseInput, readScope, today } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import * as events from '../events';
import { localIso } from '../localtime';
import { calendarEntries, calendarRevision, listEvents } from '../store/events';
import { createEventInput, eventFilter, id, registerInput, updateEventInput } from '../validate';
import { z } from 'zod';
import { required } from './required';

const calendarArgs = z.object({
  municipalityId: id.nullish(), level: z.string().nullish(), kind: z.string().nullish(), from: z.string().nullish(), to: z.string().nullish(),
});

export const eventResolvers: Resolvers = {
  Query: {
    // Open to anonymous callers: no readScope here, and CalendarEntry reaches nothing else of the graph.
    calendar: (_, args, ctx) => {
      const filter = parseInput(calendarArgs, args, 'args');
      return calendarEntries(ctx.db, { ...filter, from: filter.from ?? addDays(today(), -365) });
    },
    // Open to anonymous callers as the calendar is: a number and a digest, nothing else.
    calendarRevision: (_, _args, ctx) => calendarRevision(ctx.db, today()),
    event: (_, args, ctx) => {
      readScope(ctx.viewer);
      return ctx.loaders.event.load(parseId(args.id));
    },
    events: (_, { filter }, ctx) => {
      readScope(ctx.viewer);
      return listEvents(ctx.db, parseInput(eventFilter, filter, 'filter'));
    },
  },
  Mutation: {
    createEvent: (_, { input }, ctx) => {
      const scope = authorize(ctx.viewer, 'event:write');
      const valid = parseInput(createEventInput, input);
      return ctx.transaction((trx) => events.createEvent(trx, scope, valid));
    },
    updateEvent: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'event:write');
      const eventId = parseId(args.id);
      const valid = parseInput(updateEventInput, args.input);
      return ctx.transaction((trx) => events.updateEvent(trx, scope, eventId, valid));
    },
    setEventStatus: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'event:write');
      const eventId = parseId(args.id);
      return ctx.transaction((trx) => events.setEventStatus(trx, scope, eventId, args.status));
    },
    registerForEvent: (_, { input }, ctx) => {
      const valid = parseInput(registerInput, input);
      return ctx.transaction((trx) => events.registerForEvent(trx, ctx.viewer, valid));
    },
    cancelRegistration: (_, args, ctx) => {
      const eventId = parseId(args.eventId, 'eventId');
      const educatorId = args.educatorId ? parseId(args.educatorId, 'educatorId') : null;
      return ctx.transaction((trx) => events.cancelRegistration(trx, ctx.viewer, eventId, educatorId));
    },
    markAttendance: (_, args, ctx) => {
      const scope = authorize(ctx.viewer, 'participation:write');
      const eventId = parseId(args.eventId, 'eventId');
      const educatorIds = args.educatorIds.map((e) => parseId(e, 'educatorIds'));
      return ctx.transaction((trx) => events.markAttendance(trx, scope, eventId, educatorIds, args.isAttended));
    },
  },
  Event: {
    municipality: (event) => ({ id: event.municipalityId }),
    startsAtLocal: (event) => localIso(event.startsAt, event.timeZone),
    endsAtLocal: (event) => localIso(event.endsAt, event.timeZone),
    venue: (event) => (event.venueOrganizationId ? { id: event.venueOrganizationId } : null),
    organizerOrganization: (event) => (event.organizerOrganizationId ? { id: event.organizerOrganizationId } : null),
    participations: async (event, { first }, ctx) => cappedList(await ctx.loaders.participationsOfEvent.load(event.id), first, maxListSize),
  },
  Participation: {
    event: (participation, _, ctx) => ctx.loaders.event.load(participation.eventId).then(required),
    educator: (participation) => ({ id: participation.educatorId }),
  },
  Organization: {
    __resolveReference: (ref) => ({ id: ref.id }),
    hostedEvents: (organization, args, ctx) => {
      readScope(ctx.viewer);
      return ctx.loaders.eventsOfHost(parseInput(z.object({ from: z.string().nullish(), to: z.string().nullish() }), args, 'args')).load(organization.id);
    },
  },
  Educator: {
    __resolveReference: (ref) => ({ id: ref.id }),
    participations: async (educator, { first }, ctx) => cappedList(await ctx.loaders.participationsOfEducator.load(educator.id), first, maxListSize),
  },
};
