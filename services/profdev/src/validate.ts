import { z } from 'zod';
import { academicYearPeriod, isSaneDate } from '@mms/platform';

/** Input rules of professional development (zod), shared by the mutations and the demo seed. */

export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
export const id = z.guid('is not an id');
export const date = z.string().refine(isSaneDate, 'is not a date between 1900-01-01 and 2100-12-31');
const academicYear = z.string().refine((value) => { try { academicYearPeriod(value); return true; } catch { return false; } }, 'must be written like 2024/2025');
const activityKind = z.enum(['program', 'internship', 'master_class', 'mentoring', 'self_study', 'event']);

function ordered<K extends string, L extends string>(first: K, last: L, message = `must not be before ${first}`):
  [(value: Partial<Record<K | L, string | null | undefined>>) => boolean, { message: string; path: string[] }] {
  return [(value) => !value[last] || !value[first] || value[last]! >= value[first]!, { message, path: [last] }];
}

export const competencyInput = z.object({
  code: text(50),
  title: text(500),
  group: text(200),
  scaleMin: z.number().finite(),
  scaleMax: z.number().finite(),
  threshold: z.number().finite(),
}).refine((c) => c.scaleMin < c.scaleMax, { message: 'must be above scaleMin', path: ['scaleMax'] })
  .refine((c) => c.threshold > c.scaleMin && c.threshold <= c.scaleMax, { message: 'must lie within the scale, above its minimum', path: ['threshold'] });

export const programInput = z.object({
  kind: z.enum(['upskilling', 'retraining']),
  title: text(1000),
  hours: z.number().int('must be whole hours').min(16, 'a program has at least 16 hours').max(5000),
  format: z.enum(['in_person', 'distance', 'blended']),
  registryNumber: text(100).nullish(),
  providerName: text(1000),
  providerInn: z.string().trim().regex(/^\d{10}(\d{2})?$/, 'must have 10 or 12 digits').nullish(),
  competencyIds: z.array(id).max(100).nullish(),
}).refine((p) => p.kind !== 'retraining' || p.hours >= 250, { message: 'retraining has at least 250 hours', path: ['hours'] });

export const completionInput = z.object({
  educatorId: id,
  programId: id,
  startedOn: date,
  completedOn: date,
  certificateNumber: text(100).nullish(),
  diagnosticId: id.nullish(),
}).refine(...ordered('startedOn', 'completedOn', 'must not be before startedOn (a completion cannot end before it starts)'));

export const diagnosticInput = z.object({
  educatorId: id,
  takenOn: date,
  instrument: text(500),
  providerName: text(1000).nullish(),
  scores: z.array(z.object({ competencyId: id, score: z.number().finite() })).min(1, 'a diagnostic needs at least one score').max(200),
});

export const routeItemInput = z.object({
  activityKind,
  title: text(1000),
  competencyId: id.nullish(),
  programId: id.nullish(),
  plannedFrom: date,
  plannedTo: date,
}).refine(...ordered('plannedFrom', 'plannedTo'));

const period = { periodFrom: date, periodTo: date };

export const routeInput = z.object({
  educatorId: id,
  title: text(500),
  ...period,
  items: z.array(routeItemInput).max(100).nullish(),
}).refine(...ordered('periodFrom', 'periodTo'));

export const draftFromDiagnosticInput = z.object({
  diagnosticId: id,
  title: text(500).nullish(),
  ...period,
}).refine(...ordered('periodFrom', 'periodTo'));

export const addItemInput = z.object({ routeId: id, item: routeItemInput });

export const templateInput = z.object({
  title: text(500),
  municipalityId: id.nullish(),
  items: z.array(z.object({ activityKind, title: text(1000), programId: id.nullish() })).min(1, 'a template needs at least one item').max(100),
});

export const assignTemplateInput = z.object({
  templateId: id,
  ...period,
  municipalityId: id.nullish(),
  organizationId: id.nullish(),
  earlyCareerOnly: z.boolean().nullish().transform(Boolean),
  activate: z.boolean().nullish().transform(Boolean),
}).refine(...ordered('periodFrom', 'periodTo'))
  .refine((a) => Boolean(a.municipalityId || a.organizationId), { message: 'name the cohort: a municipality or an organization', path: ['municipalityId'] });

export const mentorshipInput = z.object({
  mentorId: id,
  menteeId: id,
  form: z.enum(['teacher_teacher', 'experienced_young_specialist', 'manager_teacher', 'group']),
  startedOn: date,
  endedOn: date.nullish(),
}).refine(...ordered('startedOn', 'endedOn'))
  .refine((m) => m.mentorId !== m.menteeId, { message: 'an educator cannot mentor themself', path: ['menteeId'] });

export const supportInput = z.object({
  methodistId: id,
  educatorId: id,
  givenOn: date,
  form: z.enum(['consultation', 'lesson_visit', 'association_meeting', 'seminar', 'other']),
  topic: text(1000),
  followUp: text(2000).nullish(),
}).refine((s) => s.methodistId !== s.educatorId, { message: 'a methodist does not support themself', path: ['educatorId'] });

export const associationInput = z.object({
  level: z.enum(['organization', 'municipal', 'district']),
  municipalityId: id,
  organizationId: id.nullish(),
  subjectArea: text(300),
  title: text(500),
  leaderId: id.nullish(),
}).refine((a) => (a.level === 'organization') === Boolean(a.organizationId),
  { message: 'is given for an organization-level association, and only for one', path: ['organizationId'] });

export const memberInput = z.object({ associationId: id, educatorId: id, joinedOn: date, leftOn: date.nullish() })
  .refine(...ordered('joinedOn', 'leftOn'));

export const planInput = z.object({
  associationId: id,
  academicYear,
  adoptedOn: date.nullish(),
  items: z.array(z.object({ title: text(1000), plannedOn: date })).max(200),
}).superRefine((plan, ctx) => {
  const year = academicYearPeriod(plan.academicYear);
  plan.items.forEach((item, i) => {
    if (item.plannedOn < year.from || item.plannedOn > year.to) ctx.addIssue({ code: 'custom', message: `must fall in ${plan.academicYear}`, path: ['items', i, 'plannedOn'] });
  });
});

export const publicationInput = z.object({
  associationId: id,
  publishedOn: date,
  title: text(1000),
  url: z.string().trim().url('is not a link').max(2000).refine((u) => /^https?:\/\//.test(u), 'must be an http(s) link'),
});

export const councilInput = z.object({ municipalityId: id, title: text(500) });
export const meetingInput = z.object({ councilId: id, heldOn: date, agenda: text(4000), decisions: text(8000).nullish(), minutesNumber: text(100).nullish() });

export const complaintInput = z.object({
  receivedOn: date,
  municipalityId: id,
  organizationId: id.nullish(),
  educatorId: id.nullish(),
  subject: text(4000),
});
export const resolveComplaintInput = z.object({ resolvedOn: date, resolution: text(8000), isUpheld: z.boolean() });

/** A period argument pair [from, to]. */
export const periodArgs = z.object({ from: date, to: date }).refine(...ordered('from', 'to'));

export const scopeInput = z.object({ municipalityId: id.nullish(), organizationId: id.nullish() }).nullish().transform((s) => s ?? {});

export type CompletionInput = z.infer<typeof completionInput>;
export type DiagnosticInput = z.infer<typeof diagnosticInput>;
export type RouteItemInput = z.infer<typeof routeItemInput>;
export type RouteInput = z.infer<typeof routeInput>;
