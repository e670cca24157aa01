import type { Knex } from 'knex';

/**
 * Issue 20, the rest: a method association as the requester of help (its leader files on its behalf; whoever leads it
 * sees and rates the request), and a survey's audience narrowed to a staff category (pedagogical or managerial
 * educators, judged on the answering day from staff_api.employed_during).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table help_request
      add column requester_association_id uuid references method_association (id),
      drop constraint help_request_requester_kind_check,
      add constraint help_request_requester_kind_check check (requester_kind in ('educator', 'organization', 'association', 'outsider')),
      add constraint help_request_association_requester check ((requester_kind = 'association') = (requester_association_id is not null));
    create index help_request_association on help_request (requester_association_id) where requester_association_id is not null;

    alter table survey
      add column staff_category text check (staff_category in ('pedagogical', 'managerial'));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table survey drop column staff_category;
    delete from help_request_support where help_request_id in (select id from help_request where requester_kind = 'association');
    update support_session set help_request_id = null where help_request_id in (select id from help_request where requester_kind = 'association');
    delete from help_request where requester_kind = 'association';
    alter table help_request
      drop constraint help_request_association_requester,
      drop constraint help_request_requester_kind_check,
      add constraint help_request_requester_kind_check check (requester_kind in ('educator', 'organization', 'outsider')),
      drop column requester_association_id;
  `);
}
