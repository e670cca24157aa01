import type { Knex } from 'knex';

/**
 * Relay, more Node types (issue 17): `profdev_api.node` also tells the ids of course runs, internships, requests for
 * help, surveys, support sessions, course applications, data requests, self-education records, upskilling plans,
 * method councils, their meetings, complaints, program completions, route
 * templates, mentorships, targeted support, associations' members, plans, plan
 * items and publications, and route items,
 * whose entity resolvers are their by-id queries or read with the rule of the list that shows them
 * (docs/architecture.md, "Global object identification"). Ids only, as before; the view keeps its columns (id, type).
 */
const before = `
      select id, 'Program'::text as type from profdev.program
      union all select id, 'Competency' from profdev.competency
      union all select id, 'Diagnostic' from profdev.diagnostic
      union all select id, 'DevelopmentRoute' from profdev.development_route
      union all select id, 'MethodAssociation' from profdev.method_association`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create or replace view profdev_api.node as ${before}
      union all select id, 'CourseRun' from profdev.course_run
      union all select id, 'Internship' from profdev.internship
      union all select id, 'HelpRequest' from profdev.help_request
      union all select id, 'Survey' from profdev.survey
      union all select id, 'SupportSession' from profdev.support_session
      union all select id, 'CourseApplication' from profdev.course_application
      union all select id, 'DataRequest' from profdev.data_request
      union all select id, 'SelfEducation' from profdev.self_education
      union all select id, 'UpskillingPlan' from profdev.upskilling_plan
      union all select id, 'MethodCouncil' from profdev.method_council
      union all select id, 'CouncilMeeting' from profdev.council_meeting
      union all select id, 'Complaint' from profdev.complaint
      union all select id, 'ProgramCompletion' from profdev.program_completion
      union all select id, 'RouteTemplate' from profdev.route_template
      union all select id, 'Mentorship' from profdev.mentorship
      union all select id, 'Support' from profdev.support
      union all select id, 'AssociationMember' from profdev.association_member
      union all select id, 'AssociationPlan' from profdev.association_plan
      union all select id, 'Publication' from profdev.publication
      union all select id, 'RouteItem' from profdev.route_item
      union all select id, 'AssociationPlanItem' from profdev.association_plan_item;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`create or replace view profdev_api.node as ${before};`);
}
