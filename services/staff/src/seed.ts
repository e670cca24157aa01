import type { Knex } from 'knex';
import type { Scope } from '@mms/platform';
import * as attestation from './attestation';
import * as registry from './registry';
import * as statuses from './statuses';
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
  const people: { id: string; position: string; startYear: number }[] = [];
  for (let i = 0; i < 60; i += 1) {
    const male = i % 9 === 4;
    const org = orgs[i % orgs.length];
    const kindergarten = org.kind === 'kindergarten';
    const startYear = 1988 + ((i * 13) % 38); // 1988 to 2025: a few began in the last three years (early-career)
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
    people.push({ id: educator.id, position: i % 20 === 0 ? 'заместитель директора' : kindergarten ? 'воспитатель' : positions[i % positions.length], startYear });
    if (i % 10 === 3) {
      await registry.startEmployment(trx, region, {
        educatorId: educator.id, organizationId: orgs[5].id, position: 'педагог дополнительного образования',
        staffCategory: 'pedagogical', rate: 0.25, isMainJob: false, startedOn: '2023-09-01',
      });
    }
  }
  await seedCategoriesAndStatuses(trx, region, municipality.id, orgs, people);
  return { municipalities: 1, organizations: orgs.length, educators };
}

/**
 * Categories awarded over the last years (some expiring soon, so that attestationsDue has an answer), attestations in
 * every stage, the council and the active, two regional methodists with assigned educators, and an internship site.
 */
async function seedCategoriesAndStatuses(trx: Knex, region: Scope, municipalityId: string,
  orgs: { id: string }[], people: { id: string; position: string; startYear: number }[]) {
  for (const [i, person] of people.entries()) {
    if (person.startYear > 2019 || i % 5 === 4) continue; // newcomers and some others have no category yet
    const year = 2021 + (i % 5); // awards from 2021 to 2025: the oldest expire in 2026
    const awardedOn = `${year}-${String((i % 9) + 2).padStart(2, '0')}-15`;
    const category = i % 3 === 0 ? 'highest' : i % 3 === 1 ? 'first' : 'conformity';
    await attestation.recordCategoryAward(trx, region, {
      educatorId: person.id, category, position: person.position, awardedOn, orderNumber: `${40 + i}-к`, orderDate: awardedOn,
    });
  }
  // Requests in each stage: filed, under review, and one granted this autumn.
  const [filed, reviewed, granted] = [people[6], people[12], people[18]];
  await attestation.fileAttestation(trx, region, { educatorId: filed.id, requestedCategory: 'highest', position: filed.position, filedOn: '2025-10-01' });
  const review = await attestation.fileAttestation(trx, region, { educatorId: reviewed.id, requestedCategory: 'first', position: reviewed.position, filedOn: '2025-09-15' });
  await attestation.startAttestationReview(trx, region, review.id, '2025-09-20');
  const grant = await attestation.fileAttestation(trx, region, { educatorId: granted.id, requestedCategory: 'highest', position: granted.position, filedOn: '2025-09-01' });
  await attestation.startAttestationReview(trx, region, grant.id, '2025-09-05');
  await attestation.decideAttestation(trx, region, { id: grant.id, outcome: 'granted', decidedOn: '2025-10-28', orderNumber: '312-к', orderDate: '2025-10-30' });

  const document = (number: string, date: string, title: string) => ({ number, date, title });
  for (const [i, person] of people.slice(0, 9).entries()) {
    await statuses.grantEducatorStatus(trx, region, {
      educatorId: person.id, kind: i < 5 ? 'council_member' : 'methodological_active', municipalityId,
      validFrom: '2024-09-01', validTo: '2026-08-31', document: document('112-од', '2024-08-26', 'О составе методического совета и методического актива'),
    });
  }
  const methodists = [people[0], people[3]];
  for (const methodist of methodists) {
    await statuses.grantEducatorStatus(trx, region, {
      educatorId: methodist.id, kind: 'regional_methodist', validFrom: '2024-01-01', validTo: null,
      document: document('1504-р', '2023-12-20', 'О присвоении статуса регионального методиста'),
    });
  }
  for (const [i, person] of people.entries()) {
    if (person.startYear < 2023 || methodists.includes(person)) continue; // early-career educators get a regional methodist
    await statuses.assignToRegionalMethodist(trx, region, {
      methodistId: methodists[i % 2].id, educatorId: person.id, validFrom: `${Math.max(person.startYear, 2024)}-09-01`, validTo: null,
    });
  }
  await statuses.grantOrganizationStatus(trx, region, {
    organizationId: orgs[2].id, kind: 'internship_site', direction: 'Наставничество молодых педагогов',
    validFrom: '2024-09-01', validTo: '2027-08-31', document: document('87-од', '2024-08-15', 'Об открытии стажировочной площадки'),
  });
  await statuses.grantOrganizationStatus(trx, region, {
    organizationId: orgs[3].id, kind: 'base_site', direction: 'Ранняя профориентация дошкольников',
    validFrom: '2025-01-10', validTo: null, document: document('3-од', '2025-01-09', 'О базовой площадке'),
  });
}
