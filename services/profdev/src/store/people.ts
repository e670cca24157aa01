import type { Knex } from 'knex';
import { whereTermOverlaps, type Scope } from '@mms/platform';
import { educatorKeys, employedOn, ownerSql, whereEducatorInScope, whereEmployedIn, type Narrowing } from './scope';

/** Mentorships and targeted support (tables mentorship, support). */

export interface MentorshipRow {
  id: string;
  mentorId: string;
  menteeId: string;
  form: string;
  startedOn: string;
  endedOn: string | null;
  outcome: string | null;
}

export interface SupportRow {
  id: string;
  methodistId: string;
  educatorId: string;
  givenOn: string;
  form: string;
  topic: string;
  followUp: string | null;
}

const mentorshipColumns = (db: Knex) => ['m.id', db.raw(`${ownerSql('m.mentor_id')} as "mentorId"`), db.raw(`${ownerSql('m.mentee_id')} as "menteeId"`),
  'm.form', 'm.started_on as startedOn', 'm.ended_on as endedOn', 'm.outcome'];
const supportColumns = (db: Knex) => ['s.id', db.raw(`${ownerSql('s.methodist_id')} as "methodistId"`), db.raw(`${ownerSql('s.educator_id')} as "educatorId"`),
  's.given_on as givenOn', 's.form', 's.topic', 's.follow_up as followUp'];

const lastingOn = (query: Knex.QueryBuilder, day: string) => whereTermOverlaps(query, 'm.started_on', 'm.ended_on', { from: day, to: day });

/** Mentorships of the educators the scope covers, as mentor or as mentee (`educatorId` is the one asked), latest first. */
export async function mentorshipsByEducators(db: Knex, scope: Scope, educatorIds: readonly string[], activeOn: string | null): Promise<(MentorshipRow & { educatorId: string })[]> {
  const keys = educatorKeys(db, educatorIds, scope);
  const query = db('mentorship as m').join(keys.as('k'), (join) => join.on('k.educator_id', 'm.mentor_id').orOn('k.educator_id', 'm.mentee_id'))
    .select(['k.key as educatorId', ...mentorshipColumns(db)]).orderBy([{ column: 'm.started_on', order: 'desc' }, { column: 'm.id' }]);
  if (activeOn) lastingOn(query, activeOn);
  return query;
}

export async function findMentorship(db: Knex, id: string, options: { forUpdate?: boolean } = {}): Promise<MentorshipRow | undefined> {
  const query = db('mentorship as m').select(mentorshipColumns(db)).where('m.id', id).first();
  if (options.forUpdate) query.forUpdate();
  return query;
}

/** Mentorships lasting on a day whose mentee the scope (and narrowing) covers. */
export async function listMentorships(db: Knex, scope: Scope, narrowing: Narrowing, day: string): Promise<MentorshipRow[]> {
  const query = lastingOn(db('mentorship as m').select(mentorshipColumns(db)), day).orderBy([{ column: 'm.started_on' }, { column: 'm.id' }]);
  whereEducatorInScope(query, scope, 'm.mentee_id');
  return whereEmployedIn(query, 'm.mentee_id', narrowing, { from: day, to: day });
}

/** Mentorships by id as `mentorships` shows them (the mentee in the caller's scope): Relay's node(id:). */
export async function mentorshipsInScopeByIds(db: Knex, scope: Scope, ids: readonly string[]): Promise<MentorshipRow[]> {
  return whereEducatorInScope(db('mentorship as m').select(mentorshipColumns(db)).whereIn('m.id', [...ids]), scope, 'm.mentee_id');
}

export async function insertMentorship(db: Knex, input: Omit<MentorshipRow, 'id' | 'outcome' | 'endedOn'> & { endedOn?: string | null }): Promise<MentorshipRow> {
  const [{ id }] = await db('mentorship').insert({
    mentor_id: input.mentorId, mentee_id: input.menteeId, form: input.form, started_on: input.startedOn, ended_on: input.endedOn ?? null,
  }).returning('id');
  return (await findMentorship(db, id))!;
}

export async function endMentorship(db: Knex, id: string, endedOn: string, outcome: string): Promise<MentorshipRow> {
  await db('mentorship').where({ id }).update({ ended_on: endedOn, outcome, updated_at: db.fn.now() });
  return (await findMentorship(db, id))!;
}

/**
 * Early-career educators (pedagogical work begun less than three years before `day`) employed on `day` in the scope
 * and narrowing, with no mentorship as mentee lasting that day.
 */
export async function earlyCareerWithoutMentor(db: Knex, scope: Scope, narrowing: Narrowing, day: string, earlyCareerSince: string): Promise<string[]> {
  const query = employedOn(db, scope, narrowing, day).join('staff_api.educator as ed', 'ed.id', 'e.educator_id')
    .where('ed.pedagogical_work_started_on', '>', earlyCareerSince)
    .whereNotExists((sub) => lastingOn(sub.select(db.raw('1')).from('profdev_api.mentorship as m').whereRaw('m.mentee_id = e.educator_id'), day))
    .orderBy('e.educator_id');
  return (await query).map((row: { educator_id: string }) => row.educator_id);
}

// ---- support ----

export async function supportByEducators(db: Knex, scope: Scope, educatorIds: readonly string[]): Promise<SupportRow[]> {
  return db('support as s').join(educatorKeys(db, educatorIds, scope).as('k'), 'k.educator_id', 's.educator_id')
    .select(['s.id', db.raw(`${ownerSql('s.methodist_id')} as "methodistId"`), 'k.key as educatorId', 's.given_on as givenOn', 's.form', 's.topic',
      's.follow_up as followUp'])
    .orderBy([{ column: 's.given_on', order: 'desc' }, { column: 's.id' }]);
}

export async function listSupport(db: Knex, scope: Scope, narrowing: Narrowing, period: { from: string; to: string }): Promise<SupportRow[]> {
  const query = db('support as s').select(supportColumns(db)).whereBetween('s.given_on', [period.from, period.to])
    .orderBy([{ column: 's.given_on', order: 'desc' }, { column: 's.id' }]);
  whereEducatorInScope(query, scope, 's.educator_id');
  return whereEmployedIn(query, 's.educator_id', narrowing, period);
}

/** Support records by id as `supportGiven` shows them (the educator in the caller's scope): Relay's node(id:). */
export async function supportInScopeByIds(db: Knex, scope: Scope, ids: readonly string[]): Promise<SupportRow[]> {
  return whereEducatorInScope(db('support as s').select(supportColumns(db)).whereIn('s.id', [...ids]), scope, 's.educator_id');
}

export async function insertSupport(db: Knex, input: Omit<SupportRow, 'id' | 'followUp'> & { followUp?: string | null }): Promise<SupportRow> {
  const [{ id }] = await db('support').insert({
    methodist_id: input.methodistId, educator_id: input.educatorId, given_on: input.givenOn, form: input.form, topic: input.topic,
    follow_up: input.followUp ?? null,
  }).returning('id');
  return db('support as s').select(supportColumns(db)).where('s.id', id).first();
}
