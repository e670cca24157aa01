import { z } from 'zod';
import { authorize, pageRequest, parseInput, toConnection } from '@mms/platform';
import type { Resolvers } from '../generated/graphql';
import { auditCursor, auditEntityTypes, changedFields, countAuditEntries, isAuditKey, listAuditEntries } from '../store/audit';
import { id, text } from '../validate';

/** AuditFilter: ids are ids, entity types are the ones the log knows, and a time window does not end before it begins. */
export const auditFilter = z.object({
  entityType: z.enum(auditEntityTypes, { error: `is not an audited entity type (${auditEntityTypes.join(', ')})` }).nullish(),
  entityId: id.nullish(),
  actorSubject: text(200).nullish(),
  from: z.string().nullish(),
  to: z.string().nullish(),
}).nullish().transform((filter) => filter ?? {})
  .refine((f) => !f.from || !f.to || Date.parse(f.from) <= Date.parse(f.to), { message: 'must not be before from', path: ['to'] });

/** Query.auditLog and AuditEntry: the staff registry's audit log, for region_admin only. */
export const auditResolvers: Resolvers = {
  Query: {
    auditLog: async (_, { filter, first, after, last, before }, ctx) => {
      authorize(ctx.viewer, 'audit:read');
      const page = pageRequest('staff.auditLog', { first, after, last, before }, undefined, isAuditKey);
      const valid = parseInput(auditFilter, filter, 'filter');
      const rows = await listAuditEntries(ctx.db, valid, page);
      return toConnection(rows, page, auditCursor, () => countAuditEntries(ctx.db, valid));
    },
  },
  AuditEntry: {
    id: (entry) => String(entry.id),
    at: (entry) => entry.at.toISOString(),
    changedFields: (entry) => changedFields(entry.before, entry.after),
  },
};
