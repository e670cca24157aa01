import type { Knex } from 'knex';
import { translateUniqueViolation, type PageRequest, type Scope } from '@mms/platform';
import type { CompletionRow } from '../store/completions';
import { ownerSql, whereEducatorInScope } from '../store/scope';

/** Course runs and their applications (tables course_run, course_application, course_certificate). */

export interface CourseRunRow {
  id: string;
  programId: string;
  municipalityId: string;
  providerKind: string;
  providerOrganizationId: string | null;
  providerName: string | null;
  providerKey: string;
  startsOn: string;
  endsOn: string;
  format: string;
  seats: number;
  hasWaitingList: boolean;
  audience: string;
  applicationDeadline: string;
  openingOrderNumber: string | null;
  openingOrderDate: string | null;
  enrolmentOrderNumber: string | null;
  enrolmentOrderDate: string | null;
  status: string;
  finishedOn: string | null;
  cancelledOn: string | null;
  seatsTaken: number;
  waitingCount: number;
}

// Seat counts in the same statement as the runs: a page of runs is one query, whatever its size.
const runColumns = (db: Knex) => ['r.id', 'r.program_id as programId', 'r.municipality_id as municipalityId', 'r.provider_kind as providerKind',
  'r.provider_organization_id as providerOrganizationId', 'r.provider_name as providerName', 'r.provider_key as providerKey',
  'r.starts_on as startsOn', 'r.ends_on as endsOn', 'r.format', 'r.seats', 'r.has_waiting_list as hasWaitingList', 'r.audience',
  'r.application_deadline as applicationDeadline', 'r.opening_order_number as openingOrderNumber', 'r.opening_order_date as openingOrderDate',
  'r.enrolment_order_number as enrolmentOrderNumber', 'r.enrolment_order_date as enrolmentOrderDate', 'r.status', 'r.finished_on as finishedOn',
  'r.cancelled_on as cancelledOn',
  db.raw(`(select count(*)::int from course_application a where a.run_id = r.id and a.status in ('enrolled', 'completed', 'not_completed')) as "seatsTaken"`),
  db.raw(`(select count(*)::int from course_application a where a.run_id = r.id and a.status = 'waitlisted') as "waitingCount"`)];

export async function runsByIds(db: Knex, ids: readonly string[], openOnly = false): Promise<CourseRunRow[]> {
  const query = db('course_run as r').select(runColumns(db)).whereIn('r.id', ids);
  if (openOnly) query.where('r.status', 'open');
  return query;
}

/** One run, locked for the rest of the transaction: seats are counted and taken one writer at a time. */
export async function lockRun(trx: Knex, id: string): Promise<CourseRunRow | undefined> {
  await trx('course_run').where('id', id).forUpdate().select('id');
  return (await runsByIds(trx, [id]))[0];
}

export interface RunFilter {
  status?: string | null;
  municipalityId?: string | null;
  programId?: string | null;
  providerKind?: string | null;
  startsFrom?: string | null;
  startsTo?: string | null;
}

function filtered(db: Knex, filter: RunFilter): Knex.QueryBuilder {
  const query = db('course_run as r');
  if (filter.status) query.where('r.status', filter.status);
  if (filter.municipalityId) query.where('r.municipality_id', filter.municipalityId);
  if (filter.programId) query.where('r.program_id', filter.programId);
  if (filter.providerKind) query.where('r.provider_kind', filter.providerKind);
  if (filter.startsFrom) query.where('r.starts_on', '>=', filter.startsFrom);
  if (filter.startsTo) query.where('r.starts_on', '<=', filter.startsTo);
  return query;
}

/** A page of runs by start, then id; the cursor is (starts_on, id). */
export async function listRuns(db: Knex, filter: RunFilter, page: PageRequest): Promise<CourseRunRow[]> {
  const query = filtered(db, filter).select(runColumns(db)).orderBy([{ column: 'r.starts_on' }, { column: 'r.id' }]).limit(page.limit);
  if (page.after) query.whereRaw('(r.starts_on, r.id) > (?::date, ?::uuid)', page.after as [string, string]);
  return query;
}

export async function countRuns(db: Knex, filter: RunFilter): Promise<number> {
  const [{ count }] = await filtered(db, filter).count({ count: '*' });
  return Number(count);
}

export const runCursor = (row: CourseRunRow) => [row.startsOn, row.id];

export interface NewRun {
  programId: string;
  municipalityId: string;
  providerKind: string;
  providerOrganizationId?: string | null;
  providerName?: string | null;
  startsOn: string;
  endsOn: string;
  format: string;
  seats: number;
  hasWaitingList: boolean;
  audience: string;
  applicationDeadline: string;
}

export async function insertRun(db: Knex, input: NewRun): Promise<CourseRunRow> {
  const [{ id }] = await db('course_run').insert({
    program_id: input.programId, municipality_id: input.municipalityId, provider_kind: input.providerKind,
    provider_organization_id: input.providerOrganizationId ?? null, provider_name: input.providerName ?? null,
    starts_on: input.startsOn, ends_on: input.endsOn, format: input.format, seats: input.seats, has_waiting_list: input.hasWaitingList,
    audience: input.audience, application_deadline: input.applicationDeadline,
  }).returning('id');
  return (await runsByIds(db, [id]))[0];
}

export async function updateRun(db: Knex, id: string, changes: Record<string, unknown>): Promise<CourseRunRow> {
  await db('course_run').where('id', id).update(changes);
  return (await runsByIds(db, [id]))[0];
}

export interface ApplicationRow {
  id: string;
  runId: string;
  educatorId: string;
  channel: string;
  nominatedByOrganizationId: string | null;
  status: string;
  appliedAt: Date;
  hours: number | null;
  completionId: string | null;
}

const applicationColumns = (db: Knex) => ['a.id', 'a.run_id as runId', db.raw(`${ownerSql('a.educator_id')} as "educatorId"`), 'a.channel',
  'a.nominated_by_organization_id as nominatedByOrganizationId', 'a.status', 'a.applied_at as appliedAt', 'a.hours', 'a.completion_id as completionId'];

/** Applications of many runs in one statement, in order of application, only those of educators the scope covers. */
export async function applicationsByRuns(db: Knex, scope: Scope, runIds: readonly string[]): Promise<ApplicationRow[]> {
  return whereEducatorInScope(db('course_application as a').select(applicationColumns(db)).whereIn('a.run_id', runIds), scope, 'a.educator_id')
    .orderBy([{ column: 'a.applied_at' }, { column: 'a.id' }]);
}

/** Applications by id as `CourseRun.applications` shows them (educators of the caller's scope only): Relay's node(id:). */
export async function applicationsByIds(db: Knex, scope: Scope, ids: readonly string[]): Promise<ApplicationRow[]> {
  return whereEducatorInScope(db('course_application as a').select(applicationColumns(db)).whereIn('a.id', [...ids]), scope, 'a.educator_id');
}

export async function applicationsOfRun(db: Knex, runId: string): Promise<ApplicationRow[]> {
  return db('course_application as a').select(applicationColumns(db)).where('a.run_id', runId).orderBy([{ column: 'a.applied_at' }, { column: 'a.id' }]);
}

export async function applicationById(db: Knex, id: string): Promise<ApplicationRow | undefined> {
  return db('course_application as a').select(applicationColumns(db)).where('a.id', id).first();
}

export async function insertApplication(db: Knex, row: { runId: string; educatorId: string; channel: string; nominatedByOrganizationId?: string | null; status: string }): Promise<ApplicationRow> {
  const [{ id }] = await translateUniqueViolation(() => db('course_application').insert({
    run_id: row.runId, educator_id: row.educatorId, channel: row.channel, nominated_by_organization_id: row.nominatedByOrganizationId ?? null, status: row.status,
  }).returning('id'), { course_application_once: ['this educator has already applied for this run', 'educatorId'] });
  return (await applicationById(db, id))!;
}

export async function setApplicationStatus(db: Knex, ids: readonly string[], status: string): Promise<void> {
  if (ids.length) await db('course_application').whereIn('id', ids).update({ status });
}

/** Certificate numbers already issued by a provider, among `numbers`. */
export async function issuedCertificates(db: Knex, providerKey: string, numbers: readonly string[]): Promise<string[]> {
  if (!numbers.length) return [];
  const rows: { number: string }[] = await db('course_certificate').select('certificate_number as number')
    .where('provider_key', providerKey).whereIn('certificate_number', numbers);
  return rows.map((r) => r.number);
}

export async function insertCertificates(db: Knex, rows: { providerKey: string; certificateNumber: string; applicationId: string }[]): Promise<void> {
  if (!rows.length) return;
  await translateUniqueViolation(() => db('course_certificate').insert(rows.map((r) => ({
    provider_key: r.providerKey, certificate_number: r.certificateNumber, application_id: r.applicationId,
  }))), { course_certificate_provider_key_certificate_number_key: ['this certificate number was already issued by the provider', 'outcomes'] });
}

export interface CompletionWrite { completionId: string; applicationId: string; educatorId: string; programId: string; startedOn: string; completedOn: string; certificateNumber: string; hours: number }

/** The completions of a finished run, in two statements whatever the group's size. */
export async function writeCompletions(db: Knex, rows: CompletionWrite[]): Promise<void> {
  if (!rows.length) return;
  await db('program_completion').insert(rows.map((r) => ({
    id: r.completionId, educator_id: r.educatorId, program_id: r.programId, started_on: r.startedOn, completed_on: r.completedOn, certificate_number: r.certificateNumber,
  })));
  await db.raw(`
    update course_application a set status = 'completed', completion_id = x.completion_id, hours = x.hours
    from unnest(?::uuid[], ?::uuid[], ?::int[]) as x(application_id, completion_id, hours) where a.id = x.application_id
  `, [rows.map((r) => r.applicationId), rows.map((r) => r.completionId), rows.map((r) => r.hours)]);
}

/** Those holding a seat who did not complete. */
export async function markNotCompleted(db: Knex, rows: { applicationId: string; hours: number | null }[]): Promise<void> {
  if (!rows.length) return;
  await db.raw(`
    update course_application a set status = 'not_completed', hours = x.hours
    from unnest(?::uuid[], ?::int[]) as x(application_id, hours) where a.id = x.application_id
  `, [rows.map((r) => r.applicationId), rows.map((r) => r.hours) as unknown as number[]]);
}

/** Completions by id (those a finished run wrote), with the live educator id. */
export async function completionsByIds(db: Knex, ids: readonly string[]): Promise<CompletionRow[]> {
  return db('program_completion as c').select([db.raw(`${ownerSql('c.educator_id')} as "educatorId"`), 'c.id', 'c.program_id as programId',
    'c.started_on as startedOn', 'c.completed_on as completedOn', 'c.certificate_number as certificateNumber', 'c.diagnostic_id as diagnosticId'])
    .whereIn('c.id', ids);
}
