import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { createTokenVerifier, mintDevToken } from '../src/auth';

/**
 * Production identity providers publish their keys as a JWKS: tokens are verified against it, with the same claim
 * rules as the dev key. A local HTTP server plays the provider.
 */
let server: http.Server;
let jwksUrl: string;
let requests = 0;
const keys: { kid: string; privateKey: KeyLike; publicJwk: JWK }[] = [];
const issuer = 'https://id.region.example';
const audience = 'mms-graph';

beforeAll(async () => {
  for (const kid of ['rsa-2026-1', 'rsa-2026-2']) {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    keys.push({ kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } });
  }
  server = http.createServer((_req, res) => {
    requests += 1;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const sign = (key: (typeof keys)[number], claims: Record<string, string>, iss = issuer) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid }).setSubject('ivanova@region')
    .setIssuer(iss).setAudience(audience).setIssuedAt().setExpirationTime('10m').sign(key.privateKey);

test('a token from the identity provider is verified with its published keys, whichever key signed it', async () => {
  const verify = createTokenVerifier({ jwksUrl, devKeyFile: '/nonexistent', issuer, audience });
  const municipalityId = '7a0d5c64-43a6-4c3b-9a8e-4f1f4a1e2b3c';
  for (const key of keys) {
    const token = await sign(key, { role: 'municipality_methodist', municipality_id: municipalityId });
    expect(await verify(`Bearer ${token}`)).toEqual({ role: 'municipality_methodist', subject: 'ivanova@region', municipalityId, organizationId: undefined, educatorId: undefined });
  }
  expect(requests).toBe(1); // the key set is fetched once and cached
});

test('with a JWKS configured, tokens of the dev key or of another issuer are UNAUTHENTICATED', async () => {
  const verify = createTokenVerifier({ jwksUrl, devKeyFile: '/nonexistent', issuer, audience });
  const devToken = await mintDevToken({ role: 'region_admin' });
  await expect(verify(`Bearer ${devToken}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  const foreign = await sign(keys[0], { role: 'region_admin' }, 'https://elsewhere.example');
  await expect(verify(`Bearer ${foreign}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/iss/) });
});

test('an unreachable key set makes tokens UNAUTHENTICATED, not a server error', async () => {
  const verify = createTokenVerifier({ jwksUrl: 'http://127.0.0.1:1/jwks.json', devKeyFile: '/nonexistent', issuer, audience });
  const token = await sign(keys[0], { role: 'region_admin' });
  await expect(verify(`Bearer ${token}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
});
