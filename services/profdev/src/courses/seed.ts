import type { Knex } from 'knex';
import type { Scope } from '@mms/platform';
import { savePlan } from '../upskilling-plan/store';
import * as writes from './writes';

/**
 * Demo course runs (issue 24) over the demo municipality, through the same functions as the mutations: two runs the
 * service carried out in 2025/2026 (finished, with completions and certificates: indicator 11 shows them), one open
 * for applications with a waiting list (the public list), one planned by the regional institute and one cancelled.
 * Fixed dates: the open run takes applications until 25 January 2027.
 */
export async function seedCourses(trx: Knex, people: { id: string }[], programIds: string[], municipalityId: string): Promise<Record<string, number>> {
  const region: Scope = { kind: 'region' };
  const counts = { courseRuns: 0, courseApplications: 0 };
  if (people.length < 14 || programIds.length < 4) return counts;
  type RunInput = Parameters<typeof writes.createRun>[2];
  const base: Pick<RunInput, 'municipalityId' | 'providerKind' | 'hasWaitingList' | 'providerOrganizationId' | 'providerName'> = {
    municipalityId, providerKind: 'service', hasWaitingList: true, providerOrganizationId: null, providerName: null };
  const run = async (input: Omit<RunInput, keyof typeof base> & Partial<typeof base>, opening: { number: string; date: string } | null) => {
    const created = await writes.createRun(trx, region, { ...base, ...input });
    counts.courseRuns += 1;
    return opening ? writes.openRun(trx, region, created.id, opening) : created;
  };
  const enrol = async (runId: string, group: { id: string }[]) => {
    for (const person of group) await writes.enrol(trx, region, runId, person.id);
    counts.courseApplications += group.length;
  };

  // Carried out by the service, 2025/2026: October (11 of 12 finished) and March (all 8).
  const october = await run({ programId: programIds[0], startsOn: '2025-10-06', endsOn: '2025-10-24', format: 'mixed', seats: 12,
    audience: 'учителя основной и средней школы', applicationDeadline: '2025-10-01' }, { number: '112-пк', date: '2025-09-15' });
  await enrol(october.id, people.slice(0, 12));
  await writes.startRun(trx, region, october.id, { number: '118-пк', date: '2025-10-06' });
  await writes.finish(trx, region, october.id, '2025-10-24', people.slice(0, 12).map((p, i) => (i < 11
    ? { educatorId: p.id, completed: true, certificateNumber: `ИМЦ-2025-${String(i + 1).padStart(3, '0')}`, hours: 36 }
    : { educatorId: p.id, completed: false, hours: 12 })));
  const march = await run({ programId: programIds[1], startsOn: '2026-03-02', endsOn: '2026-03-27', format: 'in_person', seats: 8,
    audience: 'учителя начальных классов и математики', applicationDeadline: '2026-02-20' }, { number: '31-пк', date: '2026-02-02' });
  await enrol(march.id, people.slice(12, 20));
  await writes.startRun(trx, region, march.id, { number: '40-пк', date: '2026-03-02' });
  await writes.finish(trx, region, march.id, '2026-03-27', people.slice(12, 20).map((p, i) => (
    { educatorId: p.id, completed: true, certificateNumber: `ИМЦ-2026-${String(i + 1).padStart(3, '0')}` })));

  // Open for applications: 10 seats, 12 applicants (2 wait).
  const open = await run({ programId: programIds[2], startsOn: '2027-02-01', endsOn: '2027-02-20', format: 'distance', seats: 10,
    audience: 'педагоги, работающие с обучающимися с ОВЗ', applicationDeadline: '2027-01-25' }, { number: '205-пк', date: '2026-11-20' });
  await enrol(open.id, people.slice(20, 32));

  // Planned by the regional institute; and a cancelled run of the service.
  await run({ programId: programIds[3], providerKind: 'organization', providerName: 'ГАУ ДПО «Приморский краевой институт развития образования»',
    startsOn: '2027-03-15', endsOn: '2027-03-19', format: 'distance', seats: 30, audience: 'все педагоги', applicationDeadline: '2027-03-01' }, null);
  const cancelled = await run({ programId: programIds[0], startsOn: '2026-04-06', endsOn: '2026-04-10', format: 'in_person', seats: 15,
    audience: 'учителя основной школы', applicationDeadline: '2026-03-30' }, { number: '52-пк', date: '2026-03-10' });
  await writes.cancelRun(trx, region, cancelled.id, '2026-03-31');

  // The municipality's upskilling plan for 2025/2026: two directions and the rest.
  const [competency] = await trx('program_competency').select('competency_id as id').where('program_id', programIds[0]).orderBy('id').limit(1);
  await savePlan(trx, municipalityId, '2025/2026', [
    { direction: 'Обновлённые ФГОС', competencyId: competency?.id ?? null, plannedCount: 15 },
    { direction: 'Все направления', plannedCount: 30 },
  ]);
  return counts;
}
