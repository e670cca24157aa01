import { z } from 'zod';
import { date, id, text } from '../validate';

/** Input rules of requests for help and support sessions (zod), shared by the mutations and the demo seed. */

export const helpKind = z.enum(['consultation', 'lesson_visit', 'attestation', 'route', 'competition_entry', 'other']);
export const helpStatus = z.enum(['new', 'assigned', 'in_progress', 'answered', 'closed', 'declined']);

export const fileHelpRequestInput = z.object({
  municipalityId: id.nullish(),
  educatorId: id.nullish(),
  organizationId: id.nullish(),
  associationId: id.nullish(),
  outsider: z.object({ name: text(300), contact: text(300) }).nullish(),
  topic: text(4000),
  subjectArea: text(300).nullish(),
  kind: helpKind,
  filedOn: date.nullish(),
}).refine((r) => [r.educatorId, r.organizationId, r.associationId, r.outsider].filter(Boolean).length <= 1,
  { message: 'name one requester: an educator, an organization, an association or a person outside the registry', path: ['outsider'] });

export const answerHelpRequestInput = z.object({
  id,
  answer: text(8000),
  answeredOn: date.nullish(),
  supportIds: z.array(id).max(200).nullish().transform((ids) => [...new Set(ids ?? [])]),
  supportSessionIds: z.array(id).max(200).nullish().transform((ids) => [...new Set(ids ?? [])]),
});

export const helpFilter = z.object({
  municipalityId: id.nullish(),
  status: helpStatus.nullish(),
  methodistId: id.nullish(),
  kind: helpKind.nullish(),
}).nullish().transform((f) => f ?? {});

export const rating = z.number().int('must be a whole number').min(1, 'must be 1 to 5').max(5, 'must be 1 to 5');

export const sessionInput = z.object({
  methodistId: id,
  municipalityId: id.nullish(),
  heldOn: date,
  form: z.enum(['group_consultation', 'seminar_practicum', 'organization_consultation', 'other']),
  topic: text(1000),
  organizationId: id.nullish(),
  participantIds: z.array(id).max(500, 'at most 500 participants').transform((ids) => [...new Set(ids)]),
  othersCount: z.number().int().min(0, 'must not be negative').max(100000).nullish().transform((n) => n ?? 0),
  helpRequestId: id.nullish(),
  routeItemId: id.nullish(),
  associationId: id.nullish(),
}).refine((s) => s.form !== 'organization_consultation' || Boolean(s.organizationId),
  { message: 'an organization consultation names the organization', path: ['organizationId'] })
  .refine((s) => s.participantIds.length + s.othersCount > 0, { message: 'a session has at least one participant', path: ['participantIds'] })
  .refine((s) => !s.participantIds.includes(s.methodistId), { message: 'the methodist is not one of the participants', path: ['participantIds'] });

export type FileHelpRequestInput = z.infer<typeof fileHelpRequestInput>;
export type SessionInput = z.infer<typeof sessionInput>;
