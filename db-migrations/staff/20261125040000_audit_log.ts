import type { Knex } from 'knex';
import { auditDownMigration, auditMigration } from '@mms/platform';

/**
 * The audit log of the staff registry (issue 8): staff.audit_log, written by triggers on every table, so that every
 * mutation is recorded with who asked, when, which entity and the row before and after. Read through Query.auditLog
 * (region_admin only); not published in staff_api, and no other role is granted anything on it.
 * The list is written out here, not imported: a migration stays as it ran.
 */
const tables = [
  'municipality', 'organization', 'educator', 'employment', 'attestation', 'category_award', 'educator_status',
  'organization_status', 'regional_methodist_assignment',
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(auditMigration('staff', tables));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(auditDownMigration('staff', tables));
}
