/**
 * SDK benchmarks (issue #6, "Benchmark"; numbers in docs/sdk.md "Performance"):
 *
 * - **receive throughput**: one client (`createClient`) polls a mailbox holding N V2 PFS
 *   messages that another client sent it, through real service-node code in this process
 *   (tests/support/single-node-world.ts: the node's storage RPC called directly, no sockets),
 *   and must handle all N in that poll: retrieve (paged), decrypt, decode, store the
 *   conversation and each message, emit the events. Measured with the memory store and with the
 *   encrypted SQLite file, reported as messages/s beside the baseline of sdk-bench-support.ts
 *   (core's `decryptIncomingDm` of the same messages), so the ratio is the share of the poll
 *   that is unavoidable cryptography;
 * - **catch-up after 10 days offline** (sdk-catch-up.ts).
 *
 * Each round uses a new recipient account (a mailbox is only ever new once); the sender and
 * its key cache carry over, as a real correspondent's would. Setup (accounts, sends) is not
 * timed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { client, world } from '../tests/support/single-node-world.ts';
import type { BenchResult } from './harness.ts';
import {
  baselineDecryptSeconds,
  median,
  openStore,
  recordingSwarm,
  STORE_KINDS,
  type StoreKind,
} from './sdk-bench-support.ts';
import { catchUpResults } from './sdk-catch-up.ts';

const MINUTE = 60_000;

/** Sizes of the receive-throughput case. */
interface ThroughputSize {
  readonly messages: number;
  readonly rounds: number;
}

/** Messages/s of the client's poll and of the baseline, per round, for each store kind. */
async function receiveThroughput(size: ThroughputSize, dir: string): Promise<BenchResult[]> {
  const w = world();
  const recording = recordingSwarm(w.swarm);
  const sender = client(w, 'sender');
  await sender.createAccount();
  const rates = new Map<StoreKind, { client: number[]; baseline: number[] }>(
    STORE_KINDS.map((k) => [k, { client: [], baseline: [] }]),
  );
  for (let round = 0; round < size.rounds; round++) {
    // Stores alternate within each round, so drift on this shared machine hits both alike.
    for (const kind of STORE_KINDS) {
      w.clock.advance(MINUTE);
      const store = await openStore(kind, dir, `recipient-${round}`);
      const recipient = client({ ...w, swarm: recording.swarm }, 'recipient', store);
      const { sessionId } = await recipient.createAccount();
      for (let i = 0; i < size.messages; i++) {
        const sent = await sender.send(sessionId, `message ${i} of round ${round}`);
        if (sent.security !== 'pfs' || sent.status !== 'sent') {
          throw new Error(`setup: a send went out ${sent.security}/${sent.status}`);
        }
      }
      recording.watched = sessionId;
      const t0 = performance.now();
      const summary = await recipient.poll();
      const seconds = (performance.now() - t0) / 1000;
      recording.watched = undefined;
      if (summary.handled !== size.messages || summary.undecryptable !== 0) {
        throw new Error(`poll handled ${summary.handled} of ${size.messages} messages`);
      }
      const baseline = await baselineDecryptSeconds(store, recording.take(), w.clock.now());
      const r = rates.get(kind);
      r?.client.push(size.messages / seconds);
      r?.baseline.push(size.messages / baseline);
      await store.close();
    }
  }
  return STORE_KINDS.map((kind) => {
    const r = rates.get(kind) ?? { client: [], baseline: [] };
    const subjectOpsPerSec = median(r.client);
    const baselineOpsPerSec = median(r.baseline);
    return {
      name: `SDK receive: poll ${size.messages} V2 PFS messages, ${kind} store`,
      subject: 'createClient poll (retrieve, decrypt, store, events)',
      baseline: 'core decryptIncomingDm',
      subjectOpsPerSec,
      baselineOpsPerSec,
      ratio: subjectOpsPerSec / baselineOpsPerSec,
      note: 'core decryptIncomingDm of the same messages (msgs/s)',
    };
  });
}

/** Every SDK benchmark; `quick` shrinks them to a smoke run (no numbers worth quoting). */
export async function sdkResults(options: { readonly quick: boolean }): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'session-ts-sdk-bench-'));
  try {
    const throughput = await receiveThroughput(
      options.quick ? { messages: 6, rounds: 1 } : { messages: 300, rounds: 5 },
      dir,
    );
    const catchUp = await catchUpResults(
      options.quick
        ? { days: 10, messages: 12, senders: 2, stepHours: 24 }
        : { days: 10, messages: 1000, senders: 5, stepHours: 1 },
      dir,
    );
    return [...throughput, catchUp];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
