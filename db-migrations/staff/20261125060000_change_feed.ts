import type { Knex } from 'knex';
import { auditTriggers, auditTriggersDown } from '@mms/platform';

/**
 * The change feed (Query.changes) and the merging of duplicate educators (Mutation.mergeEducators), issue 9.
 *
 * The feed is read from staff.audit_log, in the order of a new column `xid`: the id of the transaction that wrote
 * the entry. A reader shows only entries whose `xid` is below the oldest transaction still running when its
 * statement began (`pg_snapshot_xmin(pg_current_snapshot())`): every transaction below that has ended, so no entry
 * can appear later behind a position a consumer has already passed, however late its transaction commits. Ids
 * (`id`, from a sequence) cannot do this: a transaction that drew a lower id may commit after one that drew a
 * higher one, and a consumer already past the higher one would never see it.
 *
 * Transaction ids are handed out when a transaction first writes, not when it commits: a transaction that got its
 * id early (it wrote something else first) may change a record after a younger transaction changed it and
 * committed. Ordered by plain transaction id, the record's older image would come last and a consumer would keep
 * it. So an entry's `xid` is raised, when needed, to that of the record's previous entry (trigger `feed_order`):
 * one record's changes come in the order they were made, and the last image a consumer keeps is the one in the
 * table. An entry's `xid` is thus never below its own transaction's id, so "below the oldest running transaction"
 * still means "written by a transaction that has ended". Changes of different records keep transaction order, which
 * is not always commit order: a record may reference one that the feed delivers a few entries later.
 *
 * The horizon is the whole server's: a transaction left open anywhere (a psql session, a stuck job) holds the feed
 * back, never makes it lose anything. Keep transactions short.
 *
 * Merges are recorded in `educator_merge` (audited: the feed shows them as EducatorMerge) and published as
 * `staff_api.educator_merge`, from which the other subgraphs move their references to the surviving record.
 * `survivor_id` always names a live educator: merging a survivor away moves its earlier merges on to the new
 * survivor, as every other reference moves.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table audit_log add column xid xid8 not null default pg_current_xact_id();
    -- the feed's order and its cursor
    create index audit_log_feed on audit_log (xid, id);

    create function audit_log_feed_order() returns trigger
    language plpgsql
    as $feed$
    begin
      -- A record's entries are written one after the other (its row lock is held to the end of each transaction),
      -- so its latest entry by id is its previous change.
      new.xid := greatest(new.xid, (select l.xid from staff.audit_log l where l.entity_id = new.entity_id order by l.id desc limit 1));
      return new;
    end
    $feed$;
    create trigger feed_order before insert on audit_log for each row execute function audit_log_feed_order();

    create table educator_merge (
      id uuid primary key default gen_random_uuid(),
      -- the deleted record's id: no longer in educator, hence no foreign key; a record is merged away once
      duplicate_id uuid not null unique,
      survivor_id uuid not null references educator (id),
      merged_at timestamptz not null default now(),
      -- the token subject of the region administrator who merged them
      merged_by_subject text,
      check (duplicate_id <> survivor_id)
    );
    create index educator_merge_survivor on educator_merge (survivor_id);

    create view staff_api.educator_merge as
      select duplicate_id, survivor_id, merged_at from staff.educator_merge;
    grant select on staff_api.educator_merge to staff_api_reader;
  `);
  await knex.raw(auditTriggers('staff', ['educator_merge']));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(auditTriggersDown('staff', ['educator_merge']));
  await knex.raw(`
    drop view staff_api.educator_merge;
    drop table educator_merge;
    drop trigger feed_order on audit_log;
    drop function audit_log_feed_order();
    drop index audit_log_feed;
    alter table audit_log drop column xid;
  `);
}
