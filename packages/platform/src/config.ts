import path from 'node:path';

/** The repository root: every default path (.data/, db-migrations/) is relative to it. */
export const repoRoot = path.resolve(__dirname, '../../..');

/** Where the embedded run keeps its state: the Postgres cluster and the dev signing key. */
export const dataDir = process.env.MMS_DATA_DIR ?? path.join(repoRoot, '.data');

/** The subgraphs, in the order they are migrated and started. Each owns `db-migrations/<name>/` and schema `<name>`. */
export const subgraphNames = ['staff'] as const;
export type SubgraphName = (typeof subgraphNames)[number];

/** Default ports of the embedded run: the gateway first, then one per subgraph in `subgraphNames` order. */
export const defaultPorts: Record<SubgraphName | 'gateway', number> = { gateway: 4000, staff: 4001 };

export const auth = {
  issuer: process.env.AUTH_ISSUER ?? 'mms',
  audience: process.env.AUTH_AUDIENCE ?? 'mms-graph',
  /** Production: the identity provider's key set. Without it, the dev key file of the embedded run is used. */
  jwksUrl: process.env.AUTH_JWKS_URL,
  devKeyFile: process.env.AUTH_DEV_KEY_FILE ?? path.join(dataDir, 'dev-signing-key.json'),
};

/** `STAFF_DATABASE_URL`-style variable naming the connection of one subgraph's own role. */
export function subgraphUrlVariable(name: string): string {
  return `${name.toUpperCase()}_DATABASE_URL`;
}
