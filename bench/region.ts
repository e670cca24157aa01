import type { Knex } from 'knex';

/**
 * A region at the scale of docs/architecture.md ("Scale"): ~30 municipalities, ~1,500 organizations, ~60,000 educators,
 * each with a main employment; ~15% also part-time elsewhere in their municipality; ~10% moved school in the last
 * 5 years (the old employment ended the day before the new one began); ~5% left within the last 5 years.
 *
 * Set-based SQL only (insert … select from generate_series), in one transaction, as the subgraph's own role.
 * Deterministic: ids are md5-derived uuids and every "random" choice is a hash of the row number and a salt, so two
 * runs make the same region (dates move with the current date).
 */
export interface RegionSize {
  municipalities: number;
  organizations: number;
  educators: number;
}

export const regionSize: RegionSize = { municipalities: 30, organizations: 1500, educators: 60_000 };

/**
 * The region for a number of educators: the shape of `regionSize` (about 40 educators per organization, 50
 * organizations per municipality), up to its 30 municipalities and 1,500 organizations.
 */
export function regionSizeFor(educators: number): RegionSize {
  const organizations = Math.max(1, Math.min(regionSize.organizations, Math.round(educators / 40)));
  const municipalities = Math.max(1, Math.min(regionSize.municipalities, Math.round(organizations / 50)));
  return { municipalities, organizations: Math.max(organizations, municipalities), educators };
}

// Primorsky Krai, the biggest first: organizations are spread over municipalities with a skew towards the first.
const municipalityNames = [
  'Владивостокский городской округ', 'Уссурийский городской округ', 'Находкинский городской округ', 'Артёмовский городской округ',
  'Арсеньевский городской округ', 'Спасский городской округ', 'Дальнегорский городской округ', 'Партизанский городской округ',
  'Лесозаводский городской округ', 'Дальнереченский городской округ', 'городской округ Большой Камень', 'Надеждинский муниципальный район',
  'Шкотовский муниципальный округ', 'Хасанский муниципальный округ', 'Октябрьский муниципальный округ', 'Пограничный муниципальный округ',
  'Ханкайский муниципальный округ', 'Хорольский муниципальный округ', 'Черниговский муниципальный округ', 'Михайловский муниципальный округ',
  'Анучинский муниципальный округ', 'Яковлевский муниципальный округ', 'Кировский муниципальный округ', 'Пожарский муниципальный округ',
  'Красноармейский муниципальный округ', 'Ольгинский муниципальный округ', 'Кавалеровский муниципальный округ', 'Тернейский муниципальный округ',
  'Чугуевский муниципальный округ', 'ЗАТО город Фокино',
];

// Roughly by frequency: the first are drawn most often.
const maleLastNames = [
  'Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Петров', 'Соколов', 'Михайлов', 'Новиков', 'Фёдоров',
  'Морозов', 'Волков', 'Алексеев', 'Лебедев', 'Семёнов', 'Егоров', 'Павлов', 'Козлов', 'Степанов', 'Николаев',
  'Орлов', 'Андреев', 'Макаров', 'Никитин', 'Захаров', 'Зайцев', 'Соловьёв', 'Борисов', 'Яковлев', 'Григорьев',
  'Романов', 'Воробьёв', 'Сергеев', 'Кузьмин', 'Фролов', 'Александров', 'Дмитриев', 'Королёв', 'Гусев', 'Киселёв',
  'Ильин', 'Максимов', 'Поляков', 'Сорокин', 'Виноградов', 'Ковалёв', 'Белов', 'Медведев', 'Антонов', 'Тарасов',
  'Жуков', 'Баранов', 'Филиппов', 'Комаров', 'Давыдов', 'Беляев', 'Герасимов', 'Богданов', 'Осипов', 'Сидоров',
  'Матвеев', 'Титов', 'Марков', 'Миронов', 'Крылов', 'Куликов', 'Карпов', 'Власов', 'Мельников', 'Денисов',
  'Гаврилов', 'Тихонов', 'Казаков', 'Афанасьев', 'Данилов', 'Савельев', 'Тимофеев', 'Фомин', 'Чернов', 'Абрамов',
  'Мартынов', 'Ефимов', 'Федотов', 'Щербаков', 'Назаров', 'Калинин', 'Исаев', 'Чернышёв', 'Быков', 'Маслов',
  'Родионов', 'Коновалов', 'Лазарев', 'Воронин', 'Климов', 'Филатов', 'Пономарёв', 'Голубев', 'Кудрявцев', 'Прохоров',
  'Наумов', 'Потапов', 'Журавлёв', 'Овчинников', 'Трофимов', 'Леонов', 'Соболев', 'Ермаков', 'Колесников', 'Гончаров',
  'Емельянов', 'Никифоров', 'Грачёв', 'Котов', 'Гришин', 'Ефремов', 'Архипов', 'Громов', 'Кириллов', 'Малышев',
  'Панов', 'Моисеев', 'Румянцев', 'Акимов', 'Кондратьев', 'Бирюков', 'Горбунов', 'Анисимов', 'Ерёмин', 'Тихомиров',
  'Галкин', 'Лукьянов', 'Михеев', 'Скворцов', 'Юдин', 'Белоусов', 'Нестеров', 'Симонов', 'Прокофьев', 'Харитонов',
  'Князев', 'Цветков', 'Левин', 'Митрофанов', 'Воронов', 'Аксёнов', 'Мальцев', 'Логинов', 'Горшков', 'Савин',
];
const femaleLastNames = maleLastNames.map((name) => `${name}а`);
const femaleFirstNames = [
  'Елена', 'Ольга', 'Наталья', 'Татьяна', 'Ирина', 'Светлана', 'Анна', 'Марина', 'Юлия', 'Екатерина',
  'Мария', 'Людмила', 'Галина', 'Надежда', 'Оксана', 'Валентина', 'Любовь', 'Алёна', 'Евгения', 'Анастасия',
  'Виктория', 'Дарья', 'Ксения', 'Вера', 'Лариса', 'Жанна', 'Нина', 'Кристина', 'Яна', 'Полина',
];
const maleFirstNames = [
  'Александр', 'Сергей', 'Андрей', 'Дмитрий', 'Алексей', 'Михаил', 'Владимир', 'Николай', 'Евгений', 'Игорь',
  'Иван', 'Виктор', 'Юрий', 'Олег', 'Павел', 'Артём', 'Максим', 'Роман', 'Денис', 'Пётр',
];
const malePatronymics = [
  'Александрович', 'Сергеевич', 'Владимирович', 'Николаевич', 'Викторович', 'Юрьевич', 'Анатольевич', 'Михайлович',
  'Иванович', 'Андреевич', 'Васильевич', 'Петрович', 'Алексеевич', 'Геннадьевич', 'Валерьевич', 'Евгеньевич',
  'Дмитриевич', 'Игоревич', 'Олегович', 'Борисович',
];
const femalePatronymics = malePatronymics.map((name) => `${name.slice(0, -2)}на`);

/** Positions by organization kind; repeats weight the draw. The head of each organization is drawn apart. */
const positions: Record<string, string[]> = {
  school: [...Array(16).fill('учитель'), 'заместитель директора', 'педагог-психолог', 'социальный педагог', 'учитель-логопед', 'педагог-организатор', 'педагог дополнительного образования'],
  kindergarten: [...Array(12).fill('воспитатель'), 'старший воспитатель', 'музыкальный руководитель', 'инструктор по физической культуре', 'учитель-логопед', 'педагог-психолог'],
  additional_education: [...Array(8).fill('педагог дополнительного образования'), 'методист', 'педагог-организатор', 'тренер-преподаватель'],
  methodological_centre: [...Array(4).fill('методист'), 'педагог-психолог', 'учитель-логопед'],
  other: ['педагог-психолог', 'педагог-психолог', 'учитель-логопед', 'учитель-дефектолог', 'социальный педагог', 'методист'],
};
const heads: Record<string, string> = {
  school: 'директор', kindergarten: 'заведующий', additional_education: 'директор', methodological_centre: 'директор', other: 'директор',
};
const managerial = ['директор', 'заведующий', 'заместитель директора'];

/**
 * A deterministic number in [0, 1) from a row number and a salt (a session-local function, gone with the session).
 * Seed 1 (the default) is the region the benchmarks have always generated; another seed draws another region.
 */
export const hashFunction = (seed = 1) => `
  create or replace function pg_temp.r(n bigint, salt text) returns float8 language sql immutable parallel safe
  as $$ select (hashtext(n::text || ':' || salt${seed === 1 ? '' : ` || ':${Math.trunc(seed)}'`}) & 2147483647)::float8 / 2147483648 $$`;

/** `array[...]` of SQL string literals. */
function textArray(values: readonly string[]): string {
  return `array[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')}]::text[]`;
}
/** Picks from a literal array, skewed towards its start (`skew` 1 = uniform). */
function pick(values: readonly string[], random: string, skew = 1): string {
  return `(${textArray(values)})[1 + floor(${values.length} * power(${random}, ${skew}))::int]`;
}
/** The position for an organization kind column and a random number. */
function positionFor(kind: string, random: string): string {
  return `case ${kind} ${Object.entries(positions).map(([k, list]) => `when '${k}' then ${pick(list, random)}`).join(' ')} end`;
}
/** SNILS / INN control digits computed in SQL, the same rules as services/staff/src/validate.ts. */
const snilsOf = (base: string) => `(select ${base}::text || lpad((case when s < 100 then s when s <= 101 then 0 else (s % 101) % 100 end)::text, 2, '0')
    from (select sum(substr(${base}::text, k, 1)::int * (10 - k)) as s from generate_series(1, 9) k) sums)`;
const innOf = (base: string) => `(select ${base}::text || ((s % 11) % 10)::text
    from (select sum(substr(${base}::text, k, 1)::int * (array[2, 4, 10, 3, 5, 9, 4, 6, 8])[k]) as s from generate_series(1, 9) k) sums)`;

export interface RegionCounts {
  municipalities: number;
  organizations: number;
  educators: number;
  employments: number;
  activeEmployments: number;
  endedEmployments: number;
  partTimeEmployments: number;
  educatorsEmployedToday: number;
}

/** Fills an empty staff schema. `db` is the staff subgraph's own knex (role svc_staff). */
export async function generateRegion(db: Knex, size: RegionSize = regionSize, seed = 1): Promise<RegionCounts> {
  if (size.municipalities > municipalityNames.length) throw new Error(`at most ${municipalityNames.length} municipalities`);
  await db.transaction(async (trx) => {
    await trx.raw("set local statement_timeout = '120s'");
    // A generated region is not a history of mutations: the audit triggers stay off while it is written (the owner
    // may disable its own tables' user triggers; foreign keys are system triggers and keep working).
    for (const table of ['municipality', 'organization', 'educator', 'employment']) await trx.raw(`alter table ${table} disable trigger user`);
    await trx.raw(hashFunction(seed));

    await trx.raw(`
      insert into municipality (id, name, oktmo, time_zone)
      select md5('municipality-' || m)::uuid, name, '05' || lpad((700 + m)::text, 3, '0') || '000', 'Asia/Vladivostok'
      from unnest(?::text[]) with ordinality as t(name, m)`, [municipalityNames.slice(0, size.municipalities)]);

    // One methodological centre per municipality; the rest drawn: 46% schools, 40% kindergartens, 9% additional
    // education, 5% other; municipality skewed towards the big cities.
    await trx.raw(`
      create temp table bench_org on commit drop as
      with drawn as (
        select g,
          case when g <= :muni then g else 1 + floor(:muni * power(pg_temp.r(g, 'org-muni'), 1.8))::int end as m,
          case when g <= :muni then 'methodological_centre'
               when pg_temp.r(g, 'kind') < 0.46 then 'school'
               when pg_temp.r(g, 'kind') < 0.86 then 'kindergarten'
               when pg_temp.r(g, 'kind') < 0.95 then 'additional_education'
               else 'other' end as kind
        from generate_series(1, :orgs) g
      )
      select g, md5('organization-' || g)::uuid as id, md5('municipality-' || m)::uuid as municipality_id, m, kind,
        row_number() over (partition by m, kind order by g) as number,
        -- staff size weight: schools from small village ones to big city ones
        case kind when 'school' then 20 + 90 * power(pg_temp.r(g, 'size'), 1.5)
                  when 'kindergarten' then 12 + 30 * pg_temp.r(g, 'size')
                  when 'additional_education' then 8 + 25 * pg_temp.r(g, 'size')
                  when 'methodological_centre' then 8 + 10 * pg_temp.r(g, 'size')
                  else 5 + 15 * pg_temp.r(g, 'size') end as weight
      from drawn`, { muni: size.municipalities, orgs: size.organizations });
    await trx.raw(`
      insert into organization (id, municipality_id, name, short_name, kind, inn, address)
      select id, municipality_id,
        case kind
          when 'school' then 'Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № ' || number || '»'
          when 'kindergarten' then 'Муниципальное бюджетное дошкольное образовательное учреждение «Детский сад № ' || number || '»'
          when 'additional_education' then 'Муниципальное бюджетное учреждение дополнительного образования «Центр детского творчества № ' || number || '»'
          when 'methodological_centre' then 'Муниципальное казённое учреждение «Методический центр»'
          else 'Муниципальное бюджетное учреждение «Центр психолого-педагогической, медицинской и социальной помощи № ' || number || '»' end,
        case kind
          when 'school' then 'МБОУ СОШ № ' || number
          when 'kindergarten' then 'МБДОУ ДС № ' || number
          when 'additional_education' then 'МБУ ДО ЦДТ № ' || number
          when 'methodological_centre' then 'МКУ МЦ'
          else 'МБУ ЦППМСП № ' || number end,
        kind, ${innOf('(250000000 + g * 101)')},
        'ул. ' || ${pick(['Ленинская', 'Советская', 'Школьная', 'Набережная', 'Садовая', 'Мира', 'Октябрьская', 'Пушкинская'], "pg_temp.r(g, 'street')")}
          || ', ' || (1 + floor(120 * pg_temp.r(g, 'house')))::int
      from bench_org`);

    // Job slots: each organization gets slots in proportion to its weight, a little over the educator count in all;
    // slot k (in a hashed order) is educator k's current main job. k within a municipality (mk) drives draws of
    // another organization of the same municipality (part-time jobs, the school before a move).
    await trx.raw(`
      create temp table bench_slot on commit drop as
      with sized as (
        select id, municipality_id, m, kind, greatest(2, round(weight * :target / sum(weight) over ()))::int as size from bench_org
      ), slots as (
        select s.id as org_id, s.municipality_id, s.kind, row_number() over (order by md5(s.id::text || ':' || n)) as k
        from sized s cross join lateral generate_series(1, s.size) n
      )
      select k, org_id, municipality_id, kind,
        row_number() over (partition by org_id order by k) as rank_in_org,
        row_number() over (partition by municipality_id order by k) as mk,
        count(*) over (partition by municipality_id) as municipality_slots
      from slots where k <= :educators`, { target: Math.round(size.educators * 1.01), educators: size.educators });
    await trx.raw('create index on bench_slot (municipality_id, mk)');

    await trx.raw(`
      create temp table bench_person on commit drop as
      with base as (
        select i, md5('educator-' || i)::uuid as id, pg_temp.r(i, 'sex') < 0.82 as female,
          (current_date - ((22 + floor(43 * power(pg_temp.r(i, 'age'), 1.1)))::int * 365 + floor(365 * pg_temp.r(i, 'bday'))::int)) as birth_date
        from generate_series(1, :educators) i
      ), career as (
        select b.*, least(b.birth_date + (365 * 21 + floor(4 * 365 * pg_temp.r(i, 'start')))::int, current_date - 30) as ped_start
        from base b
      ), fates as (
        select c.*,
          pg_temp.r(i, 'left') < 0.05 and ped_start < current_date - 400 as has_left,
          pg_temp.r(i, 'left') >= 0.05 and pg_temp.r(i, 'moved') < 0.10 and ped_start < current_date - 800 as moved
        from career c
      )
      select f.*, s.org_id, s.municipality_id, s.kind, s.rank_in_org, s.municipality_slots,
        case when moved then greatest(ped_start + 365, current_date - floor(1800 * pg_temp.r(i, 'moved-on'))::int)
             else ped_start + floor(power(pg_temp.r(i, 'stay'), 3) * (current_date - ped_start))::int end as main_start
      from fates f join bench_slot s on s.k = f.i`, { educators: size.educators });

    await trx.raw(`
      insert into educator (id, last_name, first_name, patronymic, birth_date, snils, email, phone, pedagogical_work_started_on, education_level)
      select id,
        case when female then ${pick(femaleLastNames, "pg_temp.r(i, 'last')", 1.3)} else ${pick(maleLastNames, "pg_temp.r(i, 'last')", 1.3)} end,
        case when female then ${pick(femaleFirstNames, "pg_temp.r(i, 'first')", 1.3)} else ${pick(maleFirstNames, "pg_temp.r(i, 'first')", 1.3)} end,
        case when pg_temp.r(i, 'no-patronymic') < 0.02 then null
             when female then ${pick(femalePatronymics, "pg_temp.r(i, 'patronymic')", 1.2)} else ${pick(malePatronymics, "pg_temp.r(i, 'patronymic')", 1.2)} end,
        birth_date,
        ${snilsOf('(100000000 + i * 14983)')},
        case when pg_temp.r(i, 'email') < 0.05 then null else 'educator' || i || '@edu25.example' end,
        case when pg_temp.r(i, 'phone') < 0.10 then null else '+79' || lpad((140000000 + i * 7)::text, 9, '0') end,
        ped_start,
        ${pick(['higher_specialist_or_master', 'higher_specialist_or_master', 'higher_specialist_or_master', 'higher_bachelor', 'secondary_vocational', 'secondary_vocational', 'higher_qualification'], "pg_temp.r(i, 'education')")}
      from bench_person`);

    // The current (or, for those who left, the last) main job.
    await trx.raw(`
      insert into employment (id, educator_id, organization_id, position, staff_category, rate, is_main_job, started_on, ended_on)
      select md5('employment-main-' || i)::uuid, id, org_id, position,
        case when position = any(?::text[]) then 'managerial' else 'pedagogical' end,
        (array[1, 1, 1, 1, 1, 1.5, 1.25, 0.75, 0.5, 1.75])[1 + floor(10 * pg_temp.r(i, 'rate'))::int],
        true, main_start,
        case when has_left then greatest(main_start, current_date - 1 - floor(1800 * pg_temp.r(i, 'left-on'))::int) end
      from (select p.*,
                   case when rank_in_org = 1 then case kind ${Object.entries(heads).map(([k, v]) => `when '${k}' then '${v}'`).join(' ')} end
                        else ${positionFor('kind', "pg_temp.r(i, 'position')")} end as position
            from bench_person p) p`, [managerial]);

    // The organization before a move: another of the same municipality, ended the day before the current job began.
    await trx.raw(`
      insert into employment (id, educator_id, organization_id, position, staff_category, rate, is_main_job, started_on, ended_on)
      select md5('employment-previous-' || p.i)::uuid, p.id, s.org_id, ${positionFor('s.kind', "pg_temp.r(p.i, 'previous-position')")},
        'pedagogical', 1, true, greatest(p.ped_start, p.main_start - 365 * 8), p.main_start - 1
      from bench_person p
      join bench_slot s on s.municipality_id = p.municipality_id and s.mk = 1 + floor(p.municipality_slots * pg_temp.r(p.i, 'previous-org'))::int
      where p.moved and s.org_id <> p.org_id`);

    // Part-time jobs (совместительство) in another organization of the municipality; a third of them already ended.
    await trx.raw(`
      insert into employment (id, educator_id, organization_id, position, staff_category, rate, is_main_job, started_on, ended_on)
      select md5('employment-part-' || i)::uuid, id, org_id, position, 'pedagogical', rate, false, started_on,
        case when pg_temp.r(i, 'part-ended') < 0.33 and started_on < current_date - 1
             then started_on + floor((current_date - 1 - started_on) * pg_temp.r(i, 'part-ended-on'))::int end
      from (
        select p.i, p.id, s.org_id, ${positionFor('s.kind', "pg_temp.r(p.i, 'part-position')")} as position,
          (array[0.25, 0.25, 0.5, 0.5, 0.75])[1 + floor(5 * pg_temp.r(p.i, 'part-rate'))::int] as rate,
          greatest(p.ped_start, current_date - floor(1800 * pg_temp.r(p.i, 'part-start'))::int) as started_on
        from bench_person p
        join bench_slot s on s.municipality_id = p.municipality_id and s.mk = 1 + floor(p.municipality_slots * pg_temp.r(p.i, 'part-org'))::int
        where not p.has_left and pg_temp.r(p.i, 'part') < 0.155 and s.org_id <> p.org_id
          and not exists (select from employment e where e.educator_id = p.id and e.organization_id = s.org_id)
      ) part`);
    for (const table of ['municipality', 'organization', 'educator', 'employment']) await trx.raw(`alter table ${table} enable trigger user`);
  });
  // Outside the transaction: VACUUM cannot run inside one. Sets the visibility map and statistics, as a region's
  // database that autovacuum has looked after would have.
  await db.raw('vacuum (analyze) municipality, organization, educator, employment');
  return countRegion(db);
}

export async function countRegion(db: Knex): Promise<RegionCounts> {
  const { rows: [row] } = await db.raw(`
    select (select count(*) from municipality) as municipalities,
           (select count(*) from organization) as organizations,
           (select count(*) from educator) as educators,
           (select count(*) from employment) as employments,
           (select count(*) from employment where ended_on is null or ended_on >= current_date) as "activeEmployments",
           (select count(*) from employment where ended_on < current_date) as "endedEmployments",
           (select count(*) from employment where not is_main_job) as "partTimeEmployments",
           (select count(distinct educator_id) from employment where started_on <= current_date and (ended_on is null or ended_on >= current_date)) as "educatorsEmployedToday"`);
  return row as RegionCounts;
}
