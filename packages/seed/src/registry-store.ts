/**
 * The registry's storage port (CONVENTIONS.md, habit 2): the node entries and the list version,
 * loaded once at start and changed atomically afterwards. `createMemoryRegistryStore` is the
 * in-memory twin of the SQLite store (`sqlite-registry-store.ts`); both pass the contract suite
 * in `seed.test.ts`.
 */

/** A registered service node as the seed keeps it. */
export interface RegistryEntry {
  /** Ed25519 public key, 64 lowercase hex characters: the node's identity. */
  readonly ed25519: string;
  /** X25519 public key converted from the Ed25519 one (network.md §12.1), 64 hex characters. */
  readonly x25519: string;
  readonly ip: string;
  readonly port: number;
  readonly version: readonly [number, number, number];
  /** The timestamp (ms) of the registration the node signed last. */
  readonly timestamp: number;
  /** The node's signature over that registration, base64. */
  readonly signature: string;
  /** When the seed last accepted a registration from it (ms, seed clock). */
  readonly lastSeen: number;
  /** Its swarm. */
  readonly swarmId: bigint;
}

/** The whole registry state. */
export interface RegistrySnapshot {
  /** The list version: bumped on every change a client could see. */
  readonly version: number;
  readonly entries: readonly RegistryEntry[];
}

/** One atomic change. */
export interface RegistryChange {
  readonly version: number;
  /** Entries to insert or replace (by `ed25519`). */
  readonly upsert: readonly RegistryEntry[];
  /** Keys to delete. */
  readonly remove: readonly string[];
}

/** Where the registry keeps its state. */
export interface RegistryStore {
  load(): RegistrySnapshot;
  /** Applies a change all at once: after a crash either all of it is there or none. */
  apply(change: RegistryChange): void;
  close(): void;
}

/** A `RegistryStore` in memory (tests, and a seed that need not survive restarts). */
export function createMemoryRegistryStore(): RegistryStore {
  let version = 0;
  const entries = new Map<string, RegistryEntry>();
  return {
    load: () => ({ version, entries: [...entries.values()] }),
    apply(change) {
      for (const key of change.remove) entries.delete(key);
      for (const entry of change.upsert) entries.set(entry.ed25519, entry);
      version = change.version;
    },
    close: () => undefined,
  };
}
