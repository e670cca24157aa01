import type { Knex } from 'knex';
import { auditTriggers, auditTriggersDown } from '@mms/platform';

/**
 * Issue 19: the service's own news (announcements: new textbooks and normative acts, projects, results of
 * competitions, upskilling opportunities), each with audiences and a municipality (none: regional), a draft until
 * published, and pinned or not. The public feed (`newsFeed`, the gateway's /feed.xml) shows published ones.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table announcement (
      id uuid primary key default gen_random_uuid(),
      title text not null check (btrim(title) <> ''),
      body text not null check (btrim(body) <> ''),
      topic text not null check (topic in ('news', 'normative_act', 'textbook', 'project', 'competition_results', 'upskilling', 'bulletin')),
      audiences text[] not null default '{}',
      municipality_id uuid,
      url text,
      status text not null default 'draft' check (status in ('draft', 'published')),
      published_at timestamptz,
      pinned boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((status = 'published') = (published_at is not null))
    );
    create index announcement_feed on announcement (status, municipality_id, published_at desc);
  `);
  await knex.raw(auditTriggers('events', ['announcement']));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(auditTriggersDown('events', ['announcement']));
  await knex.raw('drop table announcement');
}
