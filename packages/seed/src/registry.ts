/**
 * The seed registry: the list of service nodes, their swarms and the list version — the state
 * oxend derives from the chain upstream (network.md §1.7, §3), kept here by a seed instead.
 *
 * - A node registers, and re-registers periodically, with a signed entry (`registration.ts`).
 *   A new node is placed into a swarm at once; a refresh only moves its `lastSeen` on (and its
 *   address, if that changed).
 * - Entries not refreshed within `entryTtlMs` expire (`expire`), and the swarms are recomputed
 *   without them: starving swarms are refilled or dissolved (`swarm-assignment.ts`).
 * - Every change a client could see (a node added or removed, an address or swarm changed)
 *   bumps the version by one. Nodes poll it (as `height`/`block_hash` of `get_n_service_nodes`)
 *   to skip unchanged lists, as upstream nodes skip unchanged blocks.
 */
import { toBase64, type Clock, type Rng, type SwarmSizing } from '@session-ts/core';
import type { Logger } from '@session-ts/server-kit';
import { checkRegistration, x25519Of, type NodeRegistration } from './registration.ts';
import type { RegistrationRefusal } from './registration.ts';
import type { RegistryEntry, RegistrySnapshot, RegistryStore } from './registry-store.ts';
import { assignSwarms } from './swarm-assignment.ts';

/** Options of `createRegistry`. */
export interface RegistryOptions {
  readonly store: RegistryStore;
  readonly clock: Clock;
  /** Draws the seed of each reassignment (upstream uses the block hash). */
  readonly rng: Rng;
  readonly logger: Logger;
  readonly sizing: SwarmSizing;
  /** An entry not refreshed for this long is dropped. */
  readonly entryTtlMs: number;
  /** How far a registration's timestamp may be from the seed's clock. */
  readonly signatureWindowMs: number;
}

/** The outcome of a registration. */
export type RegisterOutcome =
  | { readonly ok: true; readonly entry: RegistryEntry; readonly version: number }
  | ({ readonly ok: false } & RegistrationRefusal);

/** The registry. */
export interface Registry {
  /** Accepts or refuses a (parsed) registration. */
  register(registration: NodeRegistration): RegisterOutcome;
  /** Why `register` would refuse it now, or undefined if it would accept it (changes nothing). */
  check(registration: NodeRegistration): RegistrationRefusal | undefined;
  /** The entry of a node, by Ed25519 key (hex). */
  entry(ed25519: string): RegistryEntry | undefined;
  /** Drops entries not refreshed in time; returns how many were dropped. */
  expire(): number;
  /** The current state. */
  snapshot(): RegistrySnapshot;
}

/** Creates the registry over its store, loading what the store holds. */
export function createRegistry(options: RegistryOptions): Registry {
  const { store, clock, rng, logger, sizing } = options;
  const loaded = store.load();
  let version = loaded.version;
  const entries = new Map<string, RegistryEntry>(loaded.entries.map((e) => [e.ed25519, e]));

  /** Recomputes swarms with `added` as new nodes; returns the entries whose swarm changed. */
  const reassign = (added: readonly string[]): RegistryEntry[] => {
    const current = new Map<bigint, string[]>();
    for (const e of entries.values()) {
      if (added.includes(e.ed25519)) continue;
      const members = current.get(e.swarmId) ?? [];
      members.push(e.ed25519);
      current.set(e.swarmId, members);
    }
    for (const members of current.values()) members.sort();
    const seed = new DataView(rng.randomBytes(8).buffer).getBigUint64(0);
    const swarms = assignSwarms(current, added, sizing, seed);
    const changed: RegistryEntry[] = [];
    for (const [id, members] of swarms) {
      for (const key of members) {
        const entry = entries.get(key);
        if (entry !== undefined && (entry.swarmId !== id || added.includes(key))) {
          const moved = { ...entry, swarmId: id };
          entries.set(key, moved);
          changed.push(moved);
        }
      }
    }
    return changed;
  };

  const check = (registration: NodeRegistration): RegistrationRefusal | undefined =>
    checkRegistration(
      registration,
      clock.now(),
      options.signatureWindowMs,
      entries.get(registration.ed25519)?.timestamp,
    );

  return {
    check,
    entry: (ed25519) => entries.get(ed25519),
    register(registration) {
      const now = clock.now();
      const previous = entries.get(registration.ed25519);
      const refusal = check(registration);
      if (refusal !== undefined) return { ok: false, ...refusal };
      const entry: RegistryEntry = {
        ed25519: registration.ed25519,
        x25519: previous?.x25519 ?? x25519Of(registration.ed25519),
        ip: registration.ip,
        port: registration.port,
        version: registration.version,
        timestamp: registration.timestamp,
        signature: toBase64(registration.signature),
        lastSeen: now,
        swarmId: previous?.swarmId ?? 0n,
      };
      entries.set(entry.ed25519, entry);
      if (previous === undefined) {
        const changed = reassign([entry.ed25519]);
        version += 1;
        store.apply({ version, upsert: changed, remove: [] });
        logger.info('service node registered', {
          node: entry.ed25519,
          swarm: entries.get(entry.ed25519)?.swarmId,
          version,
        });
      } else {
        const visible =
          previous.ip !== entry.ip ||
          previous.port !== entry.port ||
          previous.version.join('.') !== entry.version.join('.');
        if (visible) version += 1;
        store.apply({ version, upsert: [entry], remove: [] });
      }
      return { ok: true, entry: entries.get(entry.ed25519) ?? entry, version };
    },

    expire() {
      const cutoff = clock.now() - options.entryTtlMs;
      const stale = [...entries.values()].filter((e) => e.lastSeen < cutoff).map((e) => e.ed25519);
      if (stale.length === 0) return 0;
      for (const key of stale) entries.delete(key);
      const changed = reassign([]);
      version += 1;
      store.apply({ version, upsert: changed, remove: stale });
      logger.info('service nodes expired', { count: stale.length, version });
      return stale.length;
    },

    snapshot: () => ({ version, entries: [...entries.values()] }),
  };
}
