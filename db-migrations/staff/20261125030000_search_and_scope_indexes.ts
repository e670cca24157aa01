import type { Knex } from 'knex';

/**
 * Indexes the region-scale benchmark called for (bench/README.md):
 * - name search (`sort_name LIKE '%…%'`) through trigrams instead of a scan of every educator;
 *   pg_trgm is created by the admin at provisioning, in schema public, hence the qualified operator class;
 * - a municipality's or organization's educators (the scope filter) found from the employments of its
 *   organizations without visiting the employment table's rows.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create index educator_sort_name_trigram on educator using gin (sort_name public.gin_trgm_ops);
    create index employment_organization_educator on employment (organization_id, educator_id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index employment_organization_educator; drop index educator_sort_name_trigram;');
}
