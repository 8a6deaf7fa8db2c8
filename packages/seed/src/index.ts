/**
 * `@session-ts/seed`: the seed registry, our deliberate stand-in for on-chain staking
 * (docs/service-node.md, "Seed registry"): signed node entries, swarm assignment with
 * oxen-core's sizing rules, a list version nodes poll, and `get_n_service_nodes` as upstream
 * seeds answer it. This file is the package's whole public surface.
 */
export { createSeed, createPingProbe } from './app.ts';
export type { ReachabilityProbe, Seed, SeedDeps } from './app.ts';
export { startSeedDaemon } from './daemon.ts';
export type { SeedDaemon, SeedDaemonConfig } from './daemon.ts';
export { SEED_CONFIG, readSeedConfig } from './seed-config.ts';
export { createRegistry } from './registry.ts';
export type { Registry, RegistryOptions, RegisterOutcome } from './registry.ts';
export { parseRegistration, checkRegistration } from './registration.ts';
export type { NodeRegistration, RegistrationRefusal } from './registration.ts';
export { createMemoryRegistryStore } from './registry-store.ts';
export type {
  RegistryChange,
  RegistryEntry,
  RegistrySnapshot,
  RegistryStore,
} from './registry-store.ts';
export { createSqliteRegistryStore } from './sqlite-registry-store.ts';
export { assignSwarms, newSwarmId, createSwarmRandom } from './swarm-assignment.ts';
export type { SwarmMap, SwarmRandom } from './swarm-assignment.ts';
export { listHash, stringifyJsonRpc, SEED_HARDFORK } from './service-node-list.ts';
