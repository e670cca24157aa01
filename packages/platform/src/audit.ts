/**
 * The audit log of a subgraph's own schema (issue 8): database triggers record every insert, update and delete of
 * the audited tables, with who asked and in which request, so that no mutation can forget to audit and a rolled-back
 * mutation leaves nothing behind (the audit row is written in the same transaction).
 *
 * Who asked comes from the transaction-local settings `ctx.transaction` sets (context.ts): `mms.actor`, JSON
 * `{"role", "subject"}`, and `mms.request_id`. A write made outside a mutation (a migration, the demo seed, psql)
 * has no actor and is recorded as actor_role `system`. A pooled connection that once ran a mutation keeps the
 * setting defined but empty after the transaction ends: empty counts as missing.
 *
 * `at` is the transaction's `now()`, not `clock_timestamp()`: every row of one mutation carries the same instant,
 * the same one the mutation wrote into `created_at`/`updated_at`; the order within a transaction is `id`'s.
 *
 * Rows are stored whole (`to_jsonb`), minus generated columns (e.g. `educator.sort_name`): they are derived from the
 * others and would only be noise in "what changed". An update that changes nothing is not recorded.
 *
 * The log is append-only for the application: a trigger refuses UPDATE, DELETE and TRUNCATE of it. (Its owner could
 * still disable that trigger; purging old entries is a deliberate act of the owner, in a migration.)
 *
 * Usage, in a subgraph's migration:
 * ```ts
 * export const up = (knex: Knex) => knex.raw(auditMigration('staff', ['educator', 'employment']));
 * export const down = (knex: Knex) => knex.raw(auditDownMigration('staff', ['educator', 'employment']));
 * ```
 * A table created by a later migration joins the log with `auditTriggers(schema, [table])` (and
 * `auditTriggersDown` in its down). Every audited table has a uuid primary key named `id`.
 */

const identifier = /^[a-z_][a-z0-9_]*$/;

function checked(names: string[]): string[] {
  for (const name of names) {
    if (!identifier.test(name)) throw new Error(`audit: ${JSON.stringify(name)} is not a plain lower-case SQL identifier`);
  }
  return names;
}

/** The name of each audited table's trigger. */
export const auditTriggerName = 'audit';

/**
 * SQL that creates `<schema>.audit_log`, its trigger function `<schema>.audit_row()`, the append-only guard and one
 * AFTER INSERT OR UPDATE OR DELETE trigger per listed table. Contains no `?`, so it can go through `knex.raw`.
 */
export function auditMigration(schema: string, tables: string[]): string {
  const [s] = checked([schema]);
  return `
    create table ${s}.audit_log (
      id bigint generated always as identity primary key,
      -- the transaction's time: one instant for every row of one mutation
      at timestamptz not null default now(),
      -- 'system' when no actor was set (migrations, the demo seed, psql)
      actor_role text not null,
      actor_subject text,
      request_id text,
      table_name text not null,
      entity_id uuid not null,
      operation text not null check (operation in ('insert', 'update', 'delete')),
      before jsonb,
      after jsonb,
      check ((before is null) = (operation = 'insert') and (after is null) = (operation = 'delete'))
    );
    -- one entity's history, newest first; ids are uuids, unique across tables, so the table name adds nothing here
    create index audit_log_entity on ${s}.audit_log (entity_id, id);
    -- what one actor did, newest first
    create index audit_log_actor on ${s}.audit_log (actor_subject, id);
    -- a time window
    create index audit_log_at on ${s}.audit_log (at);

    ${auditRowFunction(s)}

    create function ${s}.audit_log_is_append_only() returns trigger
    language plpgsql
    as $guard$
    begin
      raise exception 'the audit log is append-only: % is not allowed', lower(tg_op) using errcode = 'insufficient_privilege';
    end
    $guard$;
    create trigger append_only before update or delete on ${s}.audit_log
      for each row execute function ${s}.audit_log_is_append_only();
    create trigger append_only_truncate before truncate on ${s}.audit_log
      for each statement execute function ${s}.audit_log_is_append_only();
    ${auditTriggers(s, tables)}
  `;
}

/**
 * SQL that attaches the audit trigger to tables (the log and `audit_row()` must exist). Each table's generated
 * columns, found in the catalog now, are passed to the trigger as the columns to leave out.
 */
export function auditTriggers(schema: string, tables: string[]): string {
  const [s, ...names] = checked([schema, ...tables]);
  if (!names.length) return '';
  return `
    do $attach$
    declare
      t text;
      left_out text;
    begin
      foreach t in array array[${names.map((name) => `'${name}'`).join(', ')}]::text[] loop
        select string_agg(quote_literal(attname), ', ' order by attnum) into left_out
        from pg_attribute
        where attrelid = format('%I.%I', '${s}', t)::regclass and attgenerated <> '' and attnum > 0 and not attisdropped;
        execute format('create trigger ${auditTriggerName} after insert or update or delete on %I.%I for each row execute function %I.audit_row(%s)',
          '${s}', t, '${s}', coalesce(left_out, ''));
      end loop;
    end
    $attach$;
  `;
}

/** Undoes `auditTriggers`. */
export function auditTriggersDown(schema: string, tables: string[]): string {
  const [s, ...names] = checked([schema, ...tables]);
  return names.map((name) => `drop trigger ${auditTriggerName} on ${s}.${name};`).join('\n');
}

/** Undoes `auditMigration`: the triggers, the functions and the log itself. */
export function auditDownMigration(schema: string, tables: string[]): string {
  const [s] = checked([schema]);
  return `
    ${auditTriggersDown(s, tables)}
    drop function ${s}.audit_row();
    drop table ${s}.audit_log;
    drop function ${s}.audit_log_is_append_only();
  `;
}

/**
 * What `ctx.transaction` writes into `mms.actor` (JSON.stringify of `{ role, subject }`), as a pattern: a value that
 * matches is JSON that jsonb accepts (no `\u0000`, no lone surrogates), so the cast cannot fail. Not
 * `pg_input_is_valid`: that is PostgreSQL 16+, and 15 is supported (issue 26); not an EXCEPTION block either, which
 * would open a subtransaction for every audited row.
 */
const actorPattern = String.raw`'^\{"role":"[a-z_]+","subject":(null|"([^"\\[:cntrl:]]|\\(["\\/bfnrt]|u00(0[1-9a-fA-F]|1[0-9a-fA-F])))*")\}$'`;

/**
 * SQL that creates (or replaces) `<schema>.audit_row()`, the trigger function that writes one audit entry per changed
 * row. Runs on PostgreSQL 15 and later.
 */
export function auditRowFunction(schema: string): string {
  const [s] = checked([schema]);
  return `
    create or replace function ${s}.audit_row() returns trigger
    language plpgsql
    as $audit$
    declare
      -- the trigger's arguments: columns left out of the stored rows (generated ones)
      left_out text[] := coalesce(tg_argv, '{}'::text[]);
      before_row jsonb;
      after_row jsonb;
      actor_text text := nullif(current_setting('mms.actor', true), '');
      actor jsonb;
      who_role text := 'system';
      who_subject text;
    begin
      if tg_op <> 'INSERT' then before_row := to_jsonb(old) - left_out; end if;
      if tg_op <> 'DELETE' then after_row := to_jsonb(new) - left_out; end if;
      if tg_op = 'UPDATE' and before_row = after_row then return null; end if;
      if actor_text is not null then
        -- Never fail a write for its audit metadata: a malformed actor (someone's manual set_config) is kept as text.
        who_role := 'unknown';
        who_subject := left(actor_text, 200);
        if actor_text ~ ${actorPattern} then
          actor := actor_text::jsonb;
          if jsonb_typeof(actor) = 'object' and jsonb_typeof(actor -> 'role') = 'string' then
            who_role := actor ->> 'role';
            who_subject := actor ->> 'subject';
          end if;
        end if;
      end if;
      insert into ${s}.audit_log (actor_role, actor_subject, request_id, table_name, entity_id, operation, before, after)
      values (who_role, who_subject, nullif(current_setting('mms.request_id', true), ''), tg_table_name,
              (coalesce(after_row, before_row) ->> 'id')::uuid, lower(tg_op), before_row, after_row);
      return null;
    end
    $audit$;
  `;
}
