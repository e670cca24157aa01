import type { Knex } from 'knex';
import type { Scope } from '@mms/platform';
import * as registry from './registry';
import { createMunicipality } from './store/municipalities';
import { innFor, snilsFor } from './validate';

/**
 * A demo municipality for `npm start` on an empty database: Partizansk city district (seed 000), its schools,
 * kindergartens and centres, and some sixty educators with employments, a few of them part-time elsewhere.
 * Deterministic, and written through the same rules as the mutations.
 */
const lastNames = ['Иванова', 'Петрова', 'Смирнова', 'Кузнецова', 'Попова', 'Васильева', 'Соколова', 'Михайлова', 'Новикова', 'Фёдорова', 'Морозова', 'Волкова', 'Алексеева', 'Лебедева', 'Семёнова', 'Егорова', 'Павлова', 'Козлова', 'Степанова', 'Николаева'];
const firstNames = ['Анна', 'Мария', 'Елена', 'Ольга', 'Наталья', 'Татьяна', 'Ирина', 'Светлана', 'Юлия', 'Екатерина'];
const patronymics = ['Александровна', 'Сергеевна', 'Владимировна', 'Ивановна', 'Николаевна', 'Петровна', 'Андреевна', 'Викторовна'];
const maleLast = ['Иванов', 'Петров', 'Смирнов', 'Кузнецов', 'Семёнов'];
const maleFirst = ['Алексей', 'Дмитрий', 'Сергей', 'Андрей', 'Михаил'];
const malePatronymics = ['Александрович', 'Сергеевич', 'Владимирович', 'Игоревич'];
const positions = ['учитель', 'учитель', 'учитель', 'воспитатель', 'педагог дополнительного образования', 'педагог-психолог', 'учитель-логопед', 'методист'];

const organizations = [
  { name: 'Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 1»', shortName: 'МБОУ СОШ № 1', kind: 'school' },
  { name: 'Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 6»', shortName: 'МБОУ СОШ № 6', kind: 'school' },
  { name: 'Муниципальное бюджетное общеобразовательное учреждение «Гимназия № 1»', shortName: 'МБОУ Гимназия № 1', kind: 'school' },
  { name: 'Муниципальное бюджетное дошкольное образовательное учреждение «Детский сад № 12»', shortName: 'МБДОУ ДС № 12', kind: 'kindergarten' },
  { name: 'Муниципальное бюджетное дошкольное образовательное учреждение «Детский сад № 33»', shortName: 'МБДОУ ДС № 33', kind: 'kindergarten' },
  { name: 'Муниципальное бюджетное учреждение дополнительного образования «Дом детского творчества»', shortName: 'МБУ ДО ДДТ', kind: 'additional_education' },
  { name: 'Муниципальное казённое учреждение «Методический центр»', shortName: 'МКУ МЦ', kind: 'methodological_centre' },
] as const;

export async function isEmpty(db: Knex): Promise<boolean> {
  const [{ count }] = await db('municipality').count({ count: '*' });
  return Number(count) === 0;
}

export async function seedDemo(trx: Knex): Promise<{ municipalities: number; organizations: number; educators: number }> {
  const region: Scope = { kind: 'region' };
  const municipality = await createMunicipality(trx, { name: 'Партизанский городской округ', oktmo: '05717000', timeZone: 'Asia/Vladivostok' });
  const orgs = [];
  for (const [i, org] of organizations.entries()) {
    orgs.push(await registry.createOrganization(trx, region, {
      ...org, municipalityId: municipality.id, inn: innFor(250900100 + i * 7), address: `г. Партизанск, ул. Ленинская, ${10 + i * 4}`,
    }));
  }
  let educators = 0;
  for (let i = 0; i < 60; i += 1) {
    const male = i % 9 === 4;
    const org = orgs[i % orgs.length];
    const kindergarten = org.kind === 'kindergarten';
    const startYear = 1990 + ((i * 7) % 35); // some began this year or last: early-career educators
    const birthYear = Math.min(startYear - 21, 2003) - (i % 5);
    const educator = await registry.createEducator(trx, region, {
      lastName: male ? maleLast[i % maleLast.length] : lastNames[i % lastNames.length],
      firstName: male ? maleFirst[i % maleFirst.length] : firstNames[(i * 3) % firstNames.length],
      patronymic: male ? malePatronymics[i % malePatronymics.length] : patronymics[(i * 5) % patronymics.length],
      birthDate: `${birthYear}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
      snils: snilsFor(112233000 + i * 101),
      email: `educator${i + 1}@partizansk.example`,
      phone: `+7914${String(5550000 + i).padStart(7, '0')}`,
      pedagogicalWorkStartedOn: `${startYear}-09-01`,
      educationLevel: i % 4 === 0 ? 'secondary_vocational' : 'higher_specialist_or_master',
      employment: {
        organizationId: org.id,
        position: i % 20 === 0 ? 'заместитель директора' : kindergarten ? 'воспитатель' : positions[i % positions.length],
        staffCategory: i % 20 === 0 ? 'managerial' : 'pedagogical',
        rate: i % 6 === 0 ? 1.5 : 1,
        isMainJob: true,
        startedOn: `${Math.max(startYear, 2005)}-09-01`,
      },
    });
    educators += 1;
    if (i % 10 === 3) {
      await registry.startEmployment(trx, region, {
        educatorId: educator.id, organizationId: orgs[5].id, position: 'педагог дополнительного образования',
        staffCategory: 'pedagogical', rate: 0.25, isMainJob: false, startedOn: '2023-09-01',
      });
    }
  }
  return { municipalities: 1, organizations: orgs.length, educators };
}
