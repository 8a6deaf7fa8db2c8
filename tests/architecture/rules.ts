/**
 * The layering rules of session-ts, as data (docs/architecture.md shows the same table).
 * A workspace may import only the workspaces listed for it, and only through their package
 * name (which resolves to their `index.ts`); deep imports and relative paths that leave the
 * workspace are violations.
 */

/** Layer name → the workspaces it may import. Apps are matched by the `apps/` folder. */
export const ALLOWED_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  core: [],
  net: ['core'],
  sqlite: [],
  'server-kit': ['core', 'sqlite'],
  'service-node': ['core', 'net', 'sqlite', 'server-kit'],
  seed: ['core', 'net', 'sqlite', 'server-kit'],
  'file-server': ['core', 'net', 'sqlite', 'server-kit'],
  'community-server': ['core', 'net', 'sqlite', 'server-kit'],
  'push-server': ['core', 'net', 'sqlite', 'server-kit'],
  sdk: ['core', 'net', 'sqlite'],
  testnet: [
    'core',
    'net',
    'sqlite',
    'server-kit',
    'service-node',
    'seed',
    'file-server',
    'community-server',
    'push-server',
    'sdk',
  ],
};

/** Apps sit at the edge and may use any package (still only through its index). */
export const APP_ALLOWED = '*';

/** The only file allowed to import cryptographic libraries. */
export const CRYPTO_MODULE = 'packages/core/src/crypto/primitives.ts';

/** Import specifiers that count as cryptographic libraries. */
export const CRYPTO_LIBRARIES = [
  /^sodium-native$/,
  /^libsodium/,
  /^@noble\//,
  /^tweetnacl/,
  /^node:crypto$/,
  /^crypto$/,
];

/** Node modules that do I/O; `core` must not import them (it is pure). */
export const IO_MODULES = [
  /^(node:)?fs(\/promises)?$/,
  /^(node:)?net$/,
  /^(node:)?https?$/,
  /^(node:)?http2$/,
  /^(node:)?dgram$/,
  /^(node:)?child_process$/,
  /^(node:)?worker_threads$/,
  /^(node:)?os$/,
];

/** Ambient effects that only `main.ts` files (argv, env) or non-core code (clock, rng) may use. */
export const AMBIENT = {
  processEnvOrArgv: /\bprocess\.(env|argv)\b/,
  clock: /\bDate\.now\(|\bnew Date\(\)|\bperformance\.now\(/,
  randomness: /\bMath\.random\(|\bgetRandomValues\(|\brandombytes_buf\(/,
};
