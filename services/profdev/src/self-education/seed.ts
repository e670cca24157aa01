import type { Knex } from 'knex';
import * as store from './store';

/** Demo self-education records (issue 24): a topic for the year for six educators, three with a result. */
const topics = ['Смысловое чтение на уроках', 'Формирующее оценивание в начальной школе', 'Проектная деятельность обучающихся',
  'Цифровые инструменты учителя', 'Подготовка к олимпиадам по математике', 'Работа с обучающимися с ОВЗ'];

export async function seedSelfEducation(trx: Knex, people: { id: string }[]): Promise<Record<string, number>> {
  const chosen = people.slice(-topics.length);
  for (const [i, person] of chosen.entries()) {
    await store.insert(trx, { educatorId: person.id, topic: topics[i], periodFrom: '2025-09-01', periodTo: '2026-05-31',
      result: i % 2 === 0 ? 'Выступление на заседании ГМО, методическая разработка' : null });
  }
  return { selfEducation: chosen.length };
}
