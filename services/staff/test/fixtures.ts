import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoRoot } from '@mms/platform';
import type { Client } from '@mms/testing';
import { innFor, snilsFor } from '../src/validate';

/** Builders that arrange a small world through the graph's own mutations. Numbers make each value unique. */
let next = 1;
const unique = () => next++;

export async function createMunicipality(client: Client, overrides: Record<string, unknown> = {}) {
  const n = unique();
  const { createMunicipality } = await client.data(`mutation ($input: CreateMunicipalityInput!) {
    createMunicipality(input: $input) { id name oktmo timeZone } }`,
  { input: { name: `Муниципалитет ${n}`, oktmo: String(10000000 + n), ...overrides } });
  return createMunicipality as { id: string; name: string; oktmo: string; timeZone: string };
}

export async function createOrganization(client: Client, municipalityId: string, overrides: Record<string, unknown> = {}) {
  const n = unique();
  const { createOrganization } = await client.data(`mutation ($input: CreateOrganizationInput!) {
    createOrganization(input: $input) { id name kind inn municipality { id } } }`,
  { input: { municipalityId, name: `Школа № ${n}`, kind: 'SCHOOL', inn: innFor(100000000 + n), ...overrides } });
  return createOrganization as { id: string; name: string; kind: string; inn: string };
}

export function educatorInput(overrides: Record<string, unknown> = {}) {
  const n = unique();
  return {
    lastName: 'Иванова', firstName: 'Анна', patronymic: 'Сергеевна', birthDate: '1990-05-17',
    snils: snilsFor(200000000 + n), email: `teacher${n}@school.example`, pedagogicalWorkStartedOn: '2015-09-01',
    educationLevel: 'HIGHER_SPECIALIST_OR_MASTER', ...overrides,
  };
}

export function employmentInput(organizationId: string, overrides: Record<string, unknown> = {}) {
  return { organizationId, position: 'учитель', staffCategory: 'PEDAGOGICAL', rate: 1, isMainJob: true, startedOn: '2020-09-01', ...overrides };
}

export async function createEducator(client: Client, organizationId: string | null, overrides: Record<string, unknown> = {}, employment: Record<string, unknown> = {}) {
  const { createEducator } = await client.data(`mutation ($input: CreateEducatorInput!) {
    createEducator(input: $input) { id fullName snils employments { id } } }`,
  { input: { ...educatorInput(overrides), employment: organizationId ? employmentInput(organizationId, employment) : null } });
  return createEducator as { id: string; fullName: string; snils: string; employments: { id: string }[] };
}

/** Runs `npm run import` (scripts/import.ts) as a real process with `args`: its exit code and what it printed. */
export async function runImportCommand(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/import.ts', ...args], { cwd: repoRoot, env: process.env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
