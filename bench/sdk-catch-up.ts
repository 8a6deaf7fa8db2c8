/**
 * The SDK's catch-up benchmark (issue #6, "time to catch up after 10 days offline with 1,000
 * pending messages"; docs/sdk.md "Performance").
 *
 * A recipient with an encrypted SQLite store (what a device really uses) creates its account
 * and goes offline. The shared clock then moves 10 days in steps; at each step every sender
 * runs its schedules (`tick()`: its own account-key rotations every 11–13 h, pushed to its
 * swarm) and the senders together send their share of the messages, each a V2 PFS message to
 * the recipient's account key as published on −21 when it went offline (a sender re-reads −21
 * before each send, the SDK default). Then the recipient comes back: `tick()` catches up its
 * missed rotations (checked: its current account key is new), and it polls until a poll
 * handles nothing. The wall time of that tick and of those polls is the figure; messages/s over
 * it is set beside the baseline of sdk-bench-support.ts (core's `decryptIncomingDm` of the same
 * messages with the same retained keys, the old key among them).
 */
import { performance } from 'node:perf_hooks';
import { client, world } from '../tests/support/single-node-world.ts';
import type { ClientStore } from '@session-ts/sdk';
import type { BenchResult } from './harness.ts';
import { baselineDecryptSeconds, openStore, recordingSwarm } from './sdk-bench-support.ts';

const HOUR = 3_600_000;

/** The shape of the offline period. */
export interface CatchUpSize {
  readonly days: number;
  /** Messages pending when the recipient returns, spread evenly over the period. */
  readonly messages: number;
  readonly senders: number;
  /** Clock step between the senders' activity (hours). */
  readonly stepHours: number;
}

/** Runs the offline period and measures the recipient's return (module comment). */
export async function catchUpResults(size: CatchUpSize, dir: string): Promise<BenchResult> {
  const w = world();
  const recording = recordingSwarm(w.swarm);
  const store = await openStore('encrypted SQLite', dir, 'offline');
  try {
    const recipient = client({ ...w, swarm: recording.swarm }, 'offline', store);
    const { sessionId } = await recipient.createAccount();
    const senders = [];
    for (let i = 0; i < size.senders; i++) {
      const s = client(w, `sender-${i}`);
      await s.createAccount();
      senders.push(s);
    }

    const steps = Math.round((size.days * 24) / size.stepHours);
    let sent = 0;
    for (let step = 0; step < steps; step++) {
      w.clock.advance(size.stepHours * HOUR);
      for (const s of senders) await s.tick();
      const due = Math.floor(((step + 1) * size.messages) / steps);
      for (; sent < due; sent++) {
        const s = senders[sent % senders.length];
        if (s === undefined) throw new Error('no senders');
        const m = await s.send(sessionId, `message ${sent} on day ${Math.floor(step / 24)}`);
        if (m.security !== 'pfs' || m.status !== 'sent') {
          throw new Error(`setup: a send went out ${m.security}/${m.status}`);
        }
      }
    }

    recording.watched = sessionId;
    const t0 = performance.now();
    await recipient.tick();
    const t1 = performance.now();
    let handled = 0;
    let polls = 0;
    for (;;) {
      const summary = await recipient.poll();
      polls++;
      if (summary.undecryptable !== 0) throw new Error('catch-up: undecryptable messages');
      if (summary.handled === 0) break;
      handled += summary.handled;
    }
    const t2 = performance.now();
    recording.watched = undefined;
    if (handled !== size.messages) {
      throw new Error(`catch-up handled ${handled} of ${size.messages} messages`);
    }
    await checkRotated(store, w.clock.now());

    const tickSeconds = (t1 - t0) / 1000;
    const pollSeconds = (t2 - t1) / 1000;
    const wall = tickSeconds + pollSeconds;
    const baseline = await baselineDecryptSeconds(store, recording.take(), w.clock.now());
    const subjectOpsPerSec = size.messages / wall;
    const baselineOpsPerSec = size.messages / baseline;
    return {
      name: `SDK catch-up: ${size.days} days offline, ${size.messages} messages, encrypted SQLite`,
      subject: 'tick() + poll() until empty',
      baseline: 'core decryptIncomingDm',
      subjectOpsPerSec,
      baselineOpsPerSec,
      ratio: subjectOpsPerSec / baselineOpsPerSec,
      note:
        `wall time ${wall.toFixed(2)} s (tick ${Math.round(tickSeconds * 1000)} ms, ` +
        `${polls} polls ${pollSeconds.toFixed(2)} s); baseline: decrypt of the same messages`,
    };
  } finally {
    await store.close();
  }
}

/** Throws unless the recipient's current account key was made at its return (`nowMs`). */
async function checkRotated(store: ClientStore, nowMs: number): Promise<void> {
  const state = await store.deviceState.get();
  const current = state?.accountKeys.find((k) => k.rotated === undefined);
  if (current === undefined || current.created < Math.floor(nowMs / 1000) - 3600) {
    throw new Error('catch-up: the account key did not rotate on return');
  }
}
