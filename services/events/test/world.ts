import type { Client, TestGraph } from '@mms/testing';
import { createEducator, createMunicipality, createOrganization } from '../../staff/test/fixtures';

/** A small world built through staff's own mutations: two municipalities, schools, educators. */
export async function buildWorld(admin: Client) {
  const town = await createMunicipality(admin, { name: 'Партизанск', timeZone: 'Asia/Vladivostok' });
  const other = await createMunicipality(admin, { name: 'Снежинск', timeZone: 'Asia/Yekaterinburg' });
  const school = await createOrganization(admin, town.id, { name: 'Школа № 1', shortName: 'СОШ № 1' });
  const gymnasium = await createOrganization(admin, town.id, { name: 'Гимназия № 2', shortName: 'Гимназия № 2' });
  const centre = await createOrganization(admin, town.id, { name: 'Методический центр', shortName: 'МЦ', kind: 'METHODOLOGICAL_CENTRE' });
  const farSchool = await createOrganization(admin, other.id, { name: 'Снежинская школа', shortName: 'ССШ' });
  const teacher = async (organizationId: string, lastName: string) => (await createEducator(admin, organizationId, { lastName }, { startedOn: '2015-09-01' })).id;
  return {
    town, other, school, gymnasium, centre, farSchool,
    a: await teacher(school.id, 'Абрамова'), b: await teacher(school.id, 'Борисова'), c: await teacher(gymnasium.id, 'Васильева'),
    d: await teacher(gymnasium.id, 'Григорьева'), juror1: await teacher(centre.id, 'Жюрина'), juror2: await teacher(centre.id, 'Оценкина'),
    schoolJuror: await teacher(school.id, 'Завучева'), far: await teacher(farSchool.id, 'Далёкая'),
  };
}
export type World = Awaited<ReturnType<typeof buildWorld>>;

/** Row counts of the events tables: "nothing was written" means these do not move. */
export async function counts(graph: TestGraph): Promise<Record<string, number>> {
  const tables = ['event', 'participation', 'competition', 'stage', 'application', 'score', 'conflict_declaration', 'stage_result', 'jury_member'];
  const result: Record<string, number> = {};
  for (const table of tables) result[table] = Number((await graph.db.events(table).count({ n: '*' }))[0].n);
  result.updates = Number((await graph.db.events('audit_log').count({ n: '*' }))[0].n);
  return result;
}
