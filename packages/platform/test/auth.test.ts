import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import { generateKeyPair, importJWK, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import { anonymous, authenticate, ensureDevKey, mintDevToken } from '../src/auth';
import { auth as authConfig } from '../src/config';

/**
 * authenticate() turns the Authorization header into a Viewer. No header is anonymous; anything else that is not a
 * valid token of ours is UNAUTHENTICATED, never a silent fall back to anonymous.
 */

let devKey: KeyLike | Uint8Array;
let devKid: string | undefined;

beforeAll(async () => {
  const { privateJwk } = await ensureDevKey();
  devKey = await importJWK(privateJwk, 'ES256');
  devKid = privateJwk.kid;
});

interface SignOptions {
  key?: KeyLike | Uint8Array;
  kid?: string;
  issuer?: string;
  audience?: string;
  expiresIn?: string;
  subject?: string | null;
}

/** Signs a token with the dev key (or another key) and exactly the claims given. */
async function sign(claims: JWTPayload, options: SignOptions = {}): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? devKid })
    .setIssuer(options.issuer ?? authConfig.issuer)
    .setAudience(options.audience ?? authConfig.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h');
  if (options.subject !== null) jwt.setSubject(options.subject ?? 'test-subject');
  return jwt.sign(options.key ?? devKey);
}

/** Runs authenticate and returns the error it threw, failing the test when it did not throw. */
async function rejection(header: string): Promise<GraphQLError> {
  try {
    const viewer = await authenticate(header);
    throw new Error(`expected UNAUTHENTICATED, got viewer ${JSON.stringify(viewer)}`);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return error;
  }
}

async function expectUnauthenticated(header: string, message?: RegExp): Promise<void> {
  const error = await rejection(header);
  expect(error.extensions.code).toBe('UNAUTHENTICATED');
  if (message) expect(error.message).toMatch(message);
}

describe('authenticate: who is asking', () => {
  test('a request without an Authorization header is anonymous', async () => {
    await expect(authenticate(undefined)).resolves.toEqual(anonymous);
    await expect(authenticate(null)).resolves.toEqual({ role: 'anonymous' });
    await expect(authenticate('')).resolves.toEqual({ role: 'anonymous' });
  });

  test('a region admin token minted by mintDevToken gives the region admin', async () => {
    const token = await mintDevToken({ role: 'region_admin', subject: 'alice' });
    await expect(authenticate(`Bearer ${token}`)).resolves.toEqual({
      role: 'region_admin', subject: 'alice', municipalityId: undefined, organizationId: undefined, educatorId: undefined,
    });
  });

  test('a methodist token carries the municipality the methodist works for', async () => {
    const municipalityId = randomUUID();
    const token = await mintDevToken({ role: 'municipality_methodist', municipalityId });
    const viewer = await authenticate(`Bearer ${token}`);
    expect(viewer).toMatchObject({ role: 'municipality_methodist', subject: 'dev-municipality_methodist', municipalityId });
  });

  test('an organization admin token carries the organization', async () => {
    const organizationId = randomUUID();
    const token = await mintDevToken({ role: 'organization_admin', organizationId, subject: 'head-teacher' });
    expect(await authenticate(`Bearer ${token}`)).toMatchObject({ role: 'organization_admin', subject: 'head-teacher', organizationId });
  });

  test('an educator token carries the educator, and every scope id the token holds', async () => {
    const educatorId = randomUUID();
    const organizationId = randomUUID();
    const municipalityId = randomUUID();
    const token = await mintDevToken({ role: 'educator', educatorId, organizationId, municipalityId });
    expect(await authenticate(`Bearer ${token}`)).toEqual({
      role: 'educator', subject: 'dev-educator', educatorId, organizationId, municipalityId,
    });
  });

  test('an integration token carries its municipality', async () => {
    const municipalityId = randomUUID();
    const token = await mintDevToken({ role: 'integration', municipalityId });
    expect(await authenticate(`Bearer ${token}`)).toMatchObject({ role: 'integration', municipalityId });
  });

  test('the Bearer scheme is case-insensitive and surrounding spaces are ignored', async () => {
    const token = await mintDevToken({ role: 'analyst' });
    expect(await authenticate(`  bearer   ${token}  `)).toMatchObject({ role: 'analyst' });
  });
});

describe('authenticate: tokens that are refused with UNAUTHENTICATED', () => {
  test('an expired token', async () => {
    const token = await mintDevToken({ role: 'region_admin', expiresIn: '-1s' });
    await expectUnauthenticated(`Bearer ${token}`, /expired/);
  });

  test('a token that never expires (no exp claim)', async () => {
    const token = await new SignJWT({ role: 'region_admin' })
      .setProtectedHeader({ alg: 'ES256', kid: devKid })
      .setSubject('forever')
      .setIssuer(authConfig.issuer)
      .setAudience(authConfig.audience)
      .setIssuedAt()
      .sign(devKey);
    await expectUnauthenticated(`Bearer ${token}`);
  });

  test('an expired token signed by hand', async () => {
    const token = await sign({ role: 'region_admin' }, { expiresIn: '10 minutes ago' });
    await expectUnauthenticated(`Bearer ${token}`, /expired/);
  });

  test('a token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    // Same kid as the dev key, so that the key set picks the dev key and the signature itself is what fails.
    const token = await sign({ role: 'region_admin' }, { key: privateKey });
    await expectUnauthenticated(`Bearer ${token}`, /signature/);
  });

  test('a token signed by another key under an unknown kid', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await sign({ role: 'region_admin' }, { key: privateKey, kid: 'somebody-else' });
    await expectUnauthenticated(`Bearer ${token}`);
  });

  test('a token for another audience', async () => {
    const token = await sign({ role: 'region_admin' }, { audience: 'some-other-api' });
    await expectUnauthenticated(`Bearer ${token}`, /aud/);
  });

  test('a token from another issuer', async () => {
    const token = await sign({ role: 'region_admin' }, { issuer: 'https://evil.example' });
    await expectUnauthenticated(`Bearer ${token}`, /iss/);
  });

  test('a header that is not "Bearer <token>"', async () => {
    const token = await mintDevToken({ role: 'region_admin' });
    await expectUnauthenticated(`Basic ${Buffer.from('user:password').toString('base64')}`, /Bearer/);
    await expectUnauthenticated(token, /Bearer/);
    await expectUnauthenticated('Bearer', /Bearer/);
    await expectUnauthenticated(`Bearer ${token} extra`, /Bearer/);
  });

  test('a garbage token', async () => {
    await expectUnauthenticated('Bearer not-a-jwt', /invalid token/);
    await expectUnauthenticated('Bearer aaa.bbb.ccc', /invalid token/);
  });

  test('a token with alg "none"', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({
      role: 'region_admin', sub: 'mallory', iss: authConfig.issuer, aud: authConfig.audience, iat: now, exp: now + 3600,
    })}.`;
    await expectUnauthenticated(`Bearer ${unsigned}`);
  });

  test('a token without a role claim', async () => {
    const token = await sign({});
    await expectUnauthenticated(`Bearer ${token}`, /claims/);
  });

  test('a token with a role we do not know', async () => {
    const token = await sign({ role: 'superuser' });
    await expectUnauthenticated(`Bearer ${token}`, /claims/);
  });

  test('a token without a subject', async () => {
    const token = await sign({ role: 'region_admin' }, { subject: null });
    await expectUnauthenticated(`Bearer ${token}`, /sub/);
  });

  test('a municipality methodist without municipality_id', async () => {
    const token = await sign({ role: 'municipality_methodist', organization_id: randomUUID() });
    await expectUnauthenticated(`Bearer ${token}`, /municipality_id/);
  });

  test('an integration without municipality_id', async () => {
    const token = await sign({ role: 'integration' });
    await expectUnauthenticated(`Bearer ${token}`, /municipality_id/);
  });

  test('an organization admin without organization_id', async () => {
    const token = await sign({ role: 'organization_admin', municipality_id: randomUUID() });
    await expectUnauthenticated(`Bearer ${token}`, /organization_id/);
  });

  test('an educator without educator_id', async () => {
    const token = await sign({ role: 'educator', organization_id: randomUUID() });
    await expectUnauthenticated(`Bearer ${token}`, /educator_id/);
  });

  test('a municipality_id that is not a uuid', async () => {
    const token = await sign({ role: 'municipality_methodist', municipality_id: 'moscow' });
    await expectUnauthenticated(`Bearer ${token}`, /claims/);
  });

  test('a scope id that is not a string', async () => {
    const token = await sign({ role: 'educator', educator_id: 42 });
    await expectUnauthenticated(`Bearer ${token}`, /claims/);
  });
});

describe('the dev signing key', () => {
  const dir = fs.mkdtempSync(path.join(process.env.MMS_TEST_DIR ?? os.tmpdir(), 'dev-key-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('is made once and then read back', async () => {
    const file = path.join(dir, 'once.json');
    const first = await ensureDevKey(file);
    expect(first.privateJwk).toMatchObject({ alg: 'ES256', kty: 'EC', crv: 'P-256' });
    expect(first.publicJwk).not.toHaveProperty('d');
    expect(await ensureDevKey(file)).toEqual(first);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  test('two first mints at the same time (two Jest workers, two processes) agree on one key', async () => {
    const file = path.join(dir, 'race.json');
    const [a, b] = await Promise.all([ensureDevKey(file), ensureDevKey(file)]);
    const kept = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(b.publicJwk).toEqual(a.publicJwk);
    expect(kept.publicJwk).toEqual(a.publicJwk);
  });
});

describe('verified tokens are remembered, but never past their expiry', () => {
  test('a token verified once is still refused the moment it expires', async () => {
    const token = await sign({ role: 'region_admin' }, { expiresIn: '2s' });
    await expect(authenticate(`Bearer ${token}`)).resolves.toMatchObject({ role: 'region_admin', subject: 'test-subject' });
    await expect(authenticate(`Bearer ${token}`)).resolves.toMatchObject({ role: 'region_admin' }); // from memory
    // jose's exp check has one-second granularity: wait until the claim is in the past for certain.
    await new Promise((resolve) => setTimeout(resolve, 3100));
    await expectUnauthenticated(`Bearer ${token}`, /expired/);
  });

  test('a refused token is refused again: failures are not remembered as anything', async () => {
    const token = await sign({ role: 'region_admin' }, { audience: 'someone-else' });
    await expectUnauthenticated(`Bearer ${token}`, /aud/);
    await expectUnauthenticated(`Bearer ${token}`, /aud/);
  });

  test('the viewer handed out cannot be changed by one request for the next', async () => {
    const token = await sign({ role: 'analyst' });
    const first = await authenticate(`Bearer ${token}`);
    expect(() => { (first as { role: string }).role = 'region_admin'; }).toThrow();
    await expect(authenticate(`Bearer ${token}`)).resolves.toMatchObject({ role: 'analyst' });
  });
});
