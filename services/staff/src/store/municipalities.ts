import type { Knex } from 'knex';
import { translateUniqueViolation } from '@mms/platform';
import type { MunicipalityInput } from '../validate';

export interface MunicipalityRow {
  id: string;
  name: string;
  oktmo: string;
  timeZone: string;
}

const columns = ['id', 'name', 'oktmo', 'time_zone as timeZone'];

export async function listMunicipalities(db: Knex): Promise<MunicipalityRow[]> {
  return db('municipality').select(columns).orderBy(['name', 'id']);
}

export async function municipalitiesByIds(db: Knex, ids: readonly string[]): Promise<MunicipalityRow[]> {
  return db('municipality').select(columns).whereIn('id', ids);
}

export async function createMunicipality(db: Knex, input: MunicipalityInput): Promise<MunicipalityRow> {
  const [row] = await translateUniqueViolation(
    () => db('municipality').insert({ name: input.name, oktmo: input.oktmo, time_zone: input.timeZone }).returning(columns),
    { municipality_oktmo_key: ['a municipality with this OKTMO code is already registered', 'input.oktmo'] });
  return row;
}
