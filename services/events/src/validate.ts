import { z } from 'zod';
import { academicYearPeriod, isSaneDate, type Scope } from '@mms/platform';

/** Input rules of the events subgraph (zod), shared by the mutations and the demo seed. */

export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
export const id = z.guid('is not an id');
export const date = z.string().refine(isSaneDate, 'is not a date between 1900-01-01 and 2100-12-31');
const instant = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'is not an instant').transform((v) => new Date(v));
const url = z.string().trim().url('is not a URL').max(1000).refine((v) => /^https?:\/\//i.test(v), 'must be an http(s) link');

export const eventKinds = ['seminar', 'workshop', 'conference', 'master_class', 'webinar', 'pedagogical_readings', 'open_lesson',
  'association_meeting', 'forum', 'networked_event'] as const;
export const levels = ['organization', 'municipal', 'regional', 'federal'] as const;
export const participationRoles = ['listener', 'speaker', 'organizer', 'master_class_host'] as const;

const endsAfterStart = [
  (e: { startsAt?: Date | null; endsAt?: Date | null }) => !e.startsAt || !e.endsAt || e.endsAt > e.startsAt,
  { message: 'must be after startsAt', path: ['endsAt'] },
] satisfies [unknown, { message: string; path: string[] }];

const eventFields = {
  kind: z.enum(eventKinds),
  level: z.enum(levels),
  title: text(500),
  description: text(5000).nullish(),
  startsAt: instant,
  endsAt: instant,
  venueOrganizationId: id.nullish(),
  onlineUrl: url.nullish(),
  organizerOrganizationId: id.nullish(),
  organizerAssociationId: id.nullish(),
  audience: text(1000).nullish(),
  isInRegionalCalendar: z.boolean().nullish(),
  capacity: z.number().int().min(1, 'must be at least 1').max(100_000).nullish(),
  hasWaitingList: z.boolean().nullish(),
};

export const createEventInput = z.object({ ...eventFields, municipalityId: id })
  .refine(...endsAfterStart)
  .refine((e) => Boolean(e.venueOrganizationId || e.onlineUrl), { message: 'give a venue organization or an online link', path: ['venueOrganizationId'] });
export type CreateEventInput = z.infer<typeof createEventInput>;

export const updateEventInput = z.object({
  ...eventFields,
  kind: eventFields.kind.optional(), level: eventFields.level.optional(), title: eventFields.title.optional(),
  startsAt: instant.optional(), endsAt: instant.optional(),
}).refine(...endsAfterStart);
export type UpdateEventInput = z.infer<typeof updateEventInput>;

export const eventFilter = z.object({
  municipalityId: id.nullish(), level: z.enum(levels).nullish(), kind: z.enum(eventKinds).nullish(),
  status: z.enum(['planned', 'held', 'cancelled']).nullish(), isInRegionalCalendar: z.boolean().nullish(),
  from: date.nullish(), to: date.nullish(),
}).nullish().transform((f) => f ?? {});

export const registerInput = z.object({ eventId: id, educatorId: id.nullish(), role: z.enum(participationRoles).nullish() });

const criterionInput = z.object({
  title: text(500),
  scaleMin: z.number().finite().min(-1000).max(1000),
  scaleMax: z.number().finite().min(-1000).max(1000),
  weight: z.number().positive('must be positive').max(1000).nullish(),
}).refine((c) => c.scaleMax > c.scaleMin, { message: 'must be greater than scaleMin', path: ['scaleMax'] });

const stageInput = z.object({
  title: text(300),
  startsOn: date,
  endsOn: date,
  applicationDeadline: date.nullish(),
  winnerPlaces: z.number().int().min(0).max(100).nullish(),
  prizeWinnerPlaces: z.number().int().min(0).max(1000).nullish(),
  advanceCount: z.number().int().min(1).max(10_000).nullish(),
  criteria: z.array(criterionInput).min(1, 'a stage needs at least one criterion').max(50),
}).refine((s) => s.endsOn >= s.startsOn, { message: 'must not be before startsOn', path: ['endsOn'] })
  .refine((s) => (s.prizeWinnerPlaces ?? 3) >= (s.winnerPlaces ?? 1), { message: 'must not be fewer than winnerPlaces', path: ['prizeWinnerPlaces'] });

export const createCompetitionInput = z.object({
  title: text(500),
  level: z.enum(levels),
  municipalityId: id,
  year: z.number().int().min(1990).max(2200),
  description: text(5000).nullish(),
  nominations: z.array(text(300)).min(1, 'a competition needs at least one nomination').max(50)
    .refine((list) => new Set(list.map((n) => n.toLocaleLowerCase('ru'))).size === list.length, 'nominations must differ'),
  stages: z.array(stageInput).min(1, 'a competition needs at least one stage').max(10),
}).superRefine((c, ctx) => {
  c.stages.forEach((stage, i) => {
    if (i > 0 && stage.startsOn < c.stages[i - 1].endsOn) {
      ctx.addIssue({ code: 'custom', message: 'must not be before the previous stage ends', path: ['stages', i, 'startsOn'] });
    }
  });
  if (c.stages[0] && c.stages[0].applicationDeadline && c.stages[0].applicationDeadline > c.stages[0].endsOn) {
    ctx.addIssue({ code: 'custom', message: 'must not be after the first stage ends', path: ['stages', 0, 'applicationDeadline'] });
  }
});
export type CreateCompetitionInput = z.infer<typeof createCompetitionInput>;

export const juryMemberInput = z.object({
  educatorId: id.nullish(),
  subject: text(300).nullish(),
  fullName: text(300).nullish(),
  organizationId: id.nullish(),
  isChair: z.boolean().nullish(),
}).refine((j) => Boolean(j.educatorId) !== Boolean(j.subject), { message: 'give either educatorId (a registry educator) or subject (a person outside the registry)', path: ['educatorId'] })
  .refine((j) => !j.subject || Boolean(j.fullName), { message: 'is required for a juror outside the registry', path: ['fullName'] });
export type JuryMemberInput = z.infer<typeof juryMemberInput>;

export const fileApplicationInput = z.object({
  nominationId: id, educatorId: id.nullish(), organizationId: id.nullish(), title: text(1000).nullish(), filedOn: date.nullish(),
});
export type FileApplicationInput = z.infer<typeof fileApplicationInput>;

export const scoreApplicationInput = z.object({
  stageId: id,
  applicationId: id,
  scores: z.array(z.object({ criterionId: id, value: z.number().finite() })).min(1, 'give at least one score').max(50)
    .refine((list) => new Set(list.map((s) => s.criterionId)).size === list.length, 'each criterion at most once'),
});
export type ScoreApplicationInput = z.infer<typeof scoreApplicationInput>;

export const academicYear = z.string().refine((v) => { try { academicYearPeriod(v); return true; } catch { return false; } }, 'must be written like 2024/2025');

export const createOlympiadInput = z.object({
  subject: text(200),
  stage: z.enum(['school', 'municipal', 'regional']),
  academicYear,
  municipalityId: id,
  startsOn: date,
  endsOn: date,
  description: text(5000).nullish(),
  venueOrganizationIds: z.array(id).max(200).nullish(),
  tasks: z.array(z.object({ title: text(500), responsibleId: id.nullish(), dueOn: date.nullish() })).max(100).nullish(),
}).refine((o) => o.endsOn >= o.startsOn, { message: 'must not be before startsOn', path: ['endsOn'] })
  .refine((o) => { const p = academicYearPeriod(o.academicYear); return o.startsOn >= p.from && o.startsOn <= p.to; },
    { message: 'must fall in the academic year', path: ['startsOn'] });
export type CreateOlympiadInput = z.infer<typeof createOlympiadInput>;

export const planActivityInput = z.object({
  kind: z.enum([...eventKinds, 'competition', 'olympiad', 'other']),
  title: text(500),
  month: z.number().int().min(1, 'must be 1 to 12').max(12, 'must be 1 to 12'),
  responsibleId: id.nullish(),
  calendarEventId: id.nullish(),
});
export type PlanActivityInput = z.infer<typeof planActivityInput>;

export const createAnnualPlanInput = z.object({
  municipalityId: id, academicYear, title: text(500), approvedOn: date.nullish(), activities: z.array(planActivityInput).max(500).nullish(),
});
export type CreateAnnualPlanInput = z.infer<typeof createAnnualPlanInput>;

/** The first day of a month of an academic year: September to December in its first calendar year. */
export function monthOfAcademicYear(year: string, month: number): string {
  const first = Number(year.slice(0, 4));
  return `${month >= 9 ? first : first + 1}-${String(month).padStart(2, '0')}-01`;
}

/** Whether a write about a municipality's events, competitions, olympiads or plan is within the writer's scope. */
export function municipalityInScope(scope: Scope, municipalityId: string): boolean {
  return scope.kind === 'region' || (scope.kind === 'municipality' && scope.municipalityId === municipalityId);
}
