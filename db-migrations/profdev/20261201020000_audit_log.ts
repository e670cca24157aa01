import type { Knex } from 'knex';
import { auditDownMigration, auditMigration } from '@mms/platform';

/**
 * The audit log of the professional development schema: triggers record every insert, update and delete with who
 * asked and in which request (packages/platform/src/audit.ts). Diagnostics appear only as inserts: they are evidence.
 * The list is written out here, not imported: a migration stays as it ran.
 */
const tables = [
  'competency', 'program', 'program_competency', 'diagnostic', 'diagnostic_score', 'program_completion', 'route_template',
  'route_template_item', 'development_route', 'route_item', 'mentorship', 'support', 'method_association', 'association_member',
  'association_plan', 'association_plan_item', 'publication', 'method_council', 'council_meeting', 'complaint',
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(auditMigration('profdev', tables));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(auditDownMigration('profdev', tables));
}
