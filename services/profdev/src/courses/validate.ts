import { z } from 'zod';
import { date, id, text } from '../validate';

/** Input rules of course runs (zod). */

const order = z.object({ number: text(100), date });

export const orderInput = order;

export const runInput = z.object({
  programId: id,
  municipalityId: id,
  providerKind: z.enum(['service', 'organization']),
  providerOrganizationId: id.nullish(),
  providerName: text(1000).nullish(),
  startsOn: date,
  endsOn: date,
  format: z.enum(['in_person', 'distance', 'mixed']),
  seats: z.number().int('must be a whole number').min(1, 'must be at least 1').max(10000, 'must be at most 10000'),
  hasWaitingList: z.boolean().nullish().transform((v) => v ?? true),
  audience: text(1000),
  applicationDeadline: date,
}).refine((r) => r.endsOn >= r.startsOn, { message: 'must not be before startsOn', path: ['endsOn'] })
  .refine((r) => r.applicationDeadline <= r.endsOn, { message: 'must not be after endsOn', path: ['applicationDeadline'] })
  .refine((r) => r.providerKind !== 'service' || (!r.providerOrganizationId && !r.providerName),
    { message: 'the service is the provider: no other organization is named', path: ['providerKind'] })
  .refine((r) => r.providerKind !== 'organization' || Boolean(r.providerOrganizationId) !== Boolean(r.providerName),
    { message: 'name the organization by providerOrganizationId or by providerName (one of them)', path: ['providerOrganizationId'] });

export const outcomesInput = z.array(z.object({
  educatorId: id,
  completed: z.boolean(),
  certificateNumber: text(100).nullish(),
  hours: z.number().int('must be whole hours').min(1).max(5000).nullish(),
}).refine((o) => !o.completed || Boolean(o.certificateNumber), { message: 'a completion needs its certificate number', path: ['certificateNumber'] }))
  .max(10000);

export type RunInput = z.infer<typeof runInput>;
export type OrderInput = z.infer<typeof orderInput>;
export type OutcomeInput = z.infer<typeof outcomesInput>[number];
