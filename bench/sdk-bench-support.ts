/**
 * What the SDK benchmarks (sdk-cases.ts, sdk-catch-up.ts) share: the two client stores under
 * test (in memory, and the encrypted SQLite file a device really uses, docs/sdk-storage.md), a
 * `SwarmApi` that keeps a copy of the namespace-0 messages a client retrieves, and the baseline
 * they are judged against: core's `decryptIncomingDm` of exactly those messages with the same
 * retained account keys, read back from the recipient's own store.
 *
 * Why that baseline: it is the work no client can skip (one X25519, one ML-KEM-768
 * decapsulation, one AEAD and one signature check per V2 PFS message), so the ratio says what
 * share of a poll is the necessary cryptography and what the client adds around it (the
 * retrieve RPC through real service-node code, dedupe, `Content` decoding, conversation and
 * message writes, events).
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  createSystemRng,
  decryptIncomingDm,
  fromBase64,
  identityFromSeed,
  retainedAccountKeys,
} from '@session-ts/core';
import {
  createMemoryStores,
  openClientStore,
  type ClientStore,
  type SwarmApi,
} from '@session-ts/sdk';

/** The client stores the SDK benchmarks compare. */
export const STORE_KINDS = ['memory', 'encrypted SQLite'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/**
 * A fresh store of `kind`; the SQLite one is a new file (with its key file) under `dir`, as
 * `openClientStore` makes it for a device (SQLCipher 4, WAL, `synchronous = NORMAL`).
 */
export async function openStore(kind: StoreKind, dir: string, name: string): Promise<ClientStore> {
  if (kind === 'memory') return createMemoryStores();
  return openClientStore({
    path: join(dir, `${name}.db`),
    keyFile: join(dir, `${name}.key`),
    rng: createSystemRng(),
  });
}

/** A `SwarmApi` that copies the namespace-0 messages `watched` retrieves. */
export interface RecordingSwarm {
  readonly swarm: SwarmApi;
  /** The account whose inbox retrievals are copied (set once the account exists). */
  watched: string | undefined;
  /** The copied message data, in retrieval order; `take` empties it. */
  take(): Uint8Array[];
}

/** Wraps `inner`. Copying a reference per message is all it adds to a measured poll. */
export function recordingSwarm(inner: SwarmApi): RecordingSwarm {
  let seen: string[] = [];
  const recording: RecordingSwarm = {
    watched: undefined,
    swarm: {
      async storageRpc(account, method, params) {
        const answer = await inner.storageRpc(account, method, params);
        if (account === recording.watched && method === 'retrieve' && params['namespace'] === 0) {
          const body = answer.body as { messages?: { data?: unknown }[] } | undefined;
          for (const m of body?.messages ?? []) {
            if (typeof m.data === 'string') seen.push(m.data);
          }
        }
        return answer;
      },
      now: () => inner.now(),
    },
    take() {
      const out = seen.map((d) => fromBase64(d));
      seen = [];
      return out;
    },
  };
  return recording;
}

/**
 * Seconds core's `decryptIncomingDm` takes over `messages` with the account keys `store`
 * retains at `nowMs`: the recipient's own identity and key ring, as the client uses them. The
 * median of `passes` passes over all of them (one pass right after a poll is as exposed to a
 * collection or a neighbour's burst on this shared machine as the poll itself; a few passes
 * steady it). Throws unless every message opens, so a baseline never measures failures.
 */
export async function baselineDecryptSeconds(
  store: ClientStore,
  messages: readonly Uint8Array[],
  nowMs: number,
  passes = 3,
): Promise<number> {
  const account = await store.account.getAccount();
  const state = await store.deviceState.get();
  if (account === undefined || state === undefined) throw new Error('baseline: no account');
  if (messages.length === 0) throw new Error('baseline: no messages were recorded');
  const recipient = identityFromSeed(account.seed.exportBytes());
  const accountKeys = retainedAccountKeys(state.accountKeys, Math.floor(nowMs / 1000));
  const times: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    const t0 = performance.now();
    for (const data of messages) {
      const r = decryptIncomingDm({ recipient, accountKeys, data });
      if (!r.ok) throw new Error(`baseline: a message did not open (${r.reason})`);
    }
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

/** The median of `values` (rounds of one case). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
