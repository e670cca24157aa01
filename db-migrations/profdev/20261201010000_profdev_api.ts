import type { Knex } from 'knex';

/**
 * The professional development subgraph's published contract for analytics (docs/architecture.md, rule 3):
 * read-only views in schema profdev_api, granted to role profdev_api_reader, of which
 * every other subgraph's role is a member. Every educator-like column shows the survivor of a merge
 * (staff_api.educator_merge). Documented in services/profdev/README.md; columns are never renamed or dropped.
 */
const survivor = (alias: string, column: string, as: string) => `coalesce(${alias}.survivor_id, ${column}) as ${as}`;
const merged = (alias: string, column: string) => `left join staff_api.educator_merge ${alias} on ${alias}.duplicate_id = ${column}`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create view profdev_api.program as
      select id, kind, title, hours, format, is_federal_registry, registry_number, provider_name, provider_inn
      from profdev.program;

    create view profdev_api.program_competency as
      select program_id, competency_id from profdev.program_competency;

    create view profdev_api.program_completion as
      select c.id, ${survivor('mg', 'c.educator_id', 'educator_id')}, c.program_id, c.started_on, c.completed_on,
             c.certificate_number, c.diagnostic_id is not null as is_from_diagnostic, c.diagnostic_id
      from profdev.program_completion c ${merged('mg', 'c.educator_id')};

    create view profdev_api.competency as
      select id, code, title, competency_group, threshold, scale_min, scale_max from profdev.competency;

    create view profdev_api.diagnostic as
      select d.id, ${survivor('mg', 'd.educator_id', 'educator_id')}, d.taken_on, d.instrument
      from profdev.diagnostic d ${merged('mg', 'd.educator_id')};

    create view profdev_api.diagnostic_score as
      select s.diagnostic_id, ${survivor('mg', 'd.educator_id', 'educator_id')}, s.competency_id, s.score, s.threshold,
             s.score < s.threshold as is_deficit
      from profdev.diagnostic_score s join profdev.diagnostic d on d.id = s.diagnostic_id ${merged('mg', 'd.educator_id')};

    create view profdev_api.deficit as
      select s.diagnostic_id, ${survivor('mg', 'd.educator_id', 'educator_id')}, s.competency_id, s.score, s.threshold, d.taken_on
      from profdev.diagnostic_score s join profdev.diagnostic d on d.id = s.diagnostic_id ${merged('mg', 'd.educator_id')}
      where s.score < s.threshold;

    create view profdev_api.development_route as
      select r.id, ${survivor('mg', 'r.educator_id', 'educator_id')}, r.period_from, r.period_to, r.status, r.created_at,
             r.activated_on, r.completed_on, r.abandoned_on
      from profdev.development_route r ${merged('mg', 'r.educator_id')};

    create view profdev_api.route_item as
      select i.id, i.route_id, ${survivor('mg', 'r.educator_id', 'educator_id')}, i.activity_kind, i.competency_id,
             i.planned_from, i.planned_to, i.done_on, i.is_dropped, i.program_id
      from profdev.route_item i join profdev.development_route r on r.id = i.route_id ${merged('mg', 'r.educator_id')};

    create view profdev_api.mentorship as
      select m.id, ${survivor('mr', 'm.mentor_id', 'mentor_id')}, ${survivor('me', 'm.mentee_id', 'mentee_id')}, m.form,
             m.started_on, m.ended_on, m.outcome
      from profdev.mentorship m ${merged('mr', 'm.mentor_id')} ${merged('me', 'm.mentee_id')};

    create view profdev_api.support as
      select s.id, ${survivor('mm', 's.methodist_id', 'methodist_id')}, ${survivor('mg', 's.educator_id', 'educator_id')},
             s.given_on, s.form, s.topic
      from profdev.support s ${merged('mm', 's.methodist_id')} ${merged('mg', 's.educator_id')};

    create view profdev_api.method_association as
      select a.id, a.level, a.municipality_id, a.organization_id, a.subject_area, a.title, ${survivor('mg', 'a.leader_id', 'leader_id')}
      from profdev.method_association a ${merged('mg', 'a.leader_id')};

    create view profdev_api.association_member as
      select m.association_id, ${survivor('mg', 'm.educator_id', 'educator_id')}, m.joined_on, m.left_on
      from profdev.association_member m ${merged('mg', 'm.educator_id')};

    create view profdev_api.association_plan as
      select p.id, p.association_id, p.academic_year, p.is_adopted, p.adopted_on,
             (select count(*) from profdev.association_plan_item i where i.plan_id = p.id)::integer as items_total,
             (select count(*) from profdev.association_plan_item i where i.plan_id = p.id and i.done_on is not null)::integer as items_done
      from profdev.association_plan p;

    create view profdev_api.publication as
      select id, association_id, published_on, title, url from profdev.publication;

    create view profdev_api.method_council as
      select id, municipality_id, title from profdev.method_council;

    create view profdev_api.council_meeting as
      select id, council_id, held_on from profdev.council_meeting;

    create view profdev_api.complaint as
      select c.id, c.received_on, c.municipality_id, c.organization_id, ${survivor('mg', 'c.educator_id', 'educator_id')},
             c.subject, c.resolved_on, c.is_upheld
      from profdev.complaint c ${merged('mg', 'c.educator_id')};

    grant usage on schema profdev_api to profdev_api_reader;
    grant select on all tables in schema profdev_api to profdev_api_reader;
  `);
}

const views = ['complaint', 'council_meeting', 'method_council', 'publication', 'association_plan', 'association_member',
  'method_association', 'support', 'mentorship', 'route_item', 'development_route', 'deficit', 'diagnostic_score', 'diagnostic',
  'competency', 'program_completion', 'program_competency', 'program'];

export async function down(knex: Knex): Promise<void> {
  await knex.raw(views.map((view) => `drop view profdev_api.${view};`).join('\n'));
}
