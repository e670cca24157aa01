import type { Knex } from 'knex';
import { announcementInput, createAnnouncement } from './resolvers';

/** Demo announcements (issue 19): a pinned regional one, two of the demo municipality, and a draft. */
export async function seedAnnouncements(trx: Knex, municipalityId: string): Promise<number> {
  const specs = [
    { title: 'Открыта запись на курсы по функциональной грамотности', body: 'Региональный институт развития образования открыл запись на курсы повышения квалификации (36 ч, дистанционно).',
      topic: 'upskilling', audiences: ['teachers'], publish: true, publishedAt: '2026-01-12T09:00:00+10:00', pinned: true, regional: true },
    { title: 'Практика «Наставничество „учитель — учитель“» рекомендована к распространению', body: 'Приказом № 27-о опыт школы рекомендован к распространению на муниципальном уровне. Материалы — в банке практик.',
      topic: 'news', audiences: ['teachers', 'heads', 'young_specialists'], publish: true, publishedAt: '2026-02-03T10:00:00+10:00', regional: false },
    { title: 'Новые учебники в федеральном перечне', body: 'В федеральный перечень учебников включены новые УМК по физике и химии; обзор — на семинаре руководителей ШМО.',
      topic: 'textbook', audiences: ['teachers'], publish: true, publishedAt: '2026-03-02T10:00:00+10:00', url: 'https://docs.example/fpu-2026', regional: false },
    { title: 'Итоги конкурса «Педагог года — 2026» (черновик)', body: 'Текст готовится.', topic: 'competition_results', audiences: [], publish: false, regional: false },
  ];
  for (const { regional, ...spec } of specs) {
    await createAnnouncement(trx, regional ? { kind: 'region' } : { kind: 'municipality', municipalityId }, announcementInput.parse(spec));
  }
  return specs.length;
}
