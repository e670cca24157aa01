import type { Knex } from 'knex';
import { auditRowFunction } from '@mms/platform';

/**
 * The audit trigger function without `pg_input_is_valid` (PostgreSQL 16+), so that audited writes work on
 * PostgreSQL 15 (issue 26). The same function, written the way 15 runs it; `down` keeps it (it runs on every version).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(auditRowFunction('events'));
}

export async function down(): Promise<void> {
  // Nothing to undo: the replaced function behaved the same on the versions where it ran.
}
