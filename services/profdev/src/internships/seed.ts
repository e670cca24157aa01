import type { Knex } from 'knex';
import type { Scope } from '@mms/platform';
import * as writes from './writes';

/**
 * Demo internships (issue 24) at the demo municipality's internship site (staff's seed grants it from 2024-09-01): an
 * individual one with an outcome and a management team's one under way. Written through the mutations' functions.
 */
export async function seedInternships(trx: Knex, people: { id: string; organizationId: string }[]): Promise<Record<string, number>> {
  const region: Scope = { kind: 'region' };
  const site = await trx('staff_api.organization_status').where('kind', 'internship_site')
    .where('valid_from', '<=', '2025-11-10').where((q) => q.whereNull('valid_to').orWhere('valid_to', '>=', '2026-04-30')).first('organization_id as id');
  const counts = { internships: 0 };
  if (!site) return counts;
  const guests = people.filter((p) => p.organizationId !== site.id);
  if (guests.length < 6) return counts;
  const individual = await writes.createInternship(trx, region, {
    organizationId: site.id, programTitle: 'Наставничество молодых педагогов: модели и инструменты', form: 'individual',
    startsOn: '2025-11-10', endsOn: '2025-11-14', participantIds: guests.slice(0, 4).map((p) => p.id),
  });
  await writes.recordOutcome(trx, region, individual, '2025-11-14', 'Участники разработали программы наставничества для своих школ');
  const team = guests[4].organizationId;
  await writes.createInternship(trx, region, {
    organizationId: site.id, programTitle: 'Управленческая команда: организация наставничества в школе', form: 'team', teamOrganizationId: team,
    startsOn: '2026-04-20', endsOn: '2026-04-30', participantIds: guests.filter((p) => p.organizationId === team).slice(0, 3).map((p) => p.id),
  });
  counts.internships = 2;
  return counts;
}
