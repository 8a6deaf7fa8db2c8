/**
 * The multi-device scenario (issue 6, "The deterministic simulation"), as far as the SDK has
 * it today: ≥ 5 accounts with 1–10 devices each edit their profile, contacts and conversation
 * state and sync through encrypted config messages on real service nodes, under delays and
 * reordering, lost requests, node crashes and restarts, ±30 s clock skew, devices offline up
 * to 10 days, devices restored from the recovery password, and a device removal. After the run
 * every device comes back, syncs until quiet, and the invariants are counted:
 *
 * - `undecryptable`: config messages some device could not open (target 0);
 * - `divergentDevices`: live devices whose documents differ from their account's others;
 * - `lostEdits`: committed edits the converged document does not contain;
 * - `restoresIncomplete`: restored devices whose first pull missed a committed edit.
 *
 * It runs the config-sync engine alone over the direct swarm adapter of sim-network.ts; the
 * conversation scenario (dm-scenario.ts) runs whole SDK clients over net and onion paths.
 */
import { identityFromSeed, toHex, type Identity } from '@session-ts/core';
import {
  createSimNetwork,
  createSimClock,
  type SimNetwork,
  type SimSwarmApi,
} from './sim-network.ts';
import { createSimRng, type SimRng } from './sim-rng.ts';
import {
  SYNC_KINDS,
  SYNC_SCHEMAS,
  createConfigSync,
  createMemoryStores,
  encodeConfigDocument,
  mergeConfigDocuments,
  setContact,
  setConvoInfo,
  setProfile,
  removeRecord,
  type ClientStore,
  type ConfigChange,
  type ConfigDocument,
  type ConfigSync,
  type SyncKind,
} from './sdk-sync.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What a run does. */
export interface SimOptions {
  readonly seed: number;
  readonly accounts: number;
  readonly minDevices: number;
  readonly maxDevices: number;
  readonly rounds: number;
  /** Simulated time per round. */
  readonly roundMs: number;
  readonly editRate: number;
  readonly offlineRate: number;
  readonly maxOfflineMs: number;
  readonly crashRate: number;
  readonly restoreRate: number;
  readonly maxSkewMs: number;
  readonly nodes: number;
  readonly storage: 'sqlite' | 'memory';
  readonly maxDelayTurns: number;
  readonly lossRate: number;
}

export const QUICK_SIM: SimOptions = {
  seed: 1,
  accounts: 5,
  minDevices: 1,
  maxDevices: 10,
  rounds: 60,
  roundMs: 6 * HOUR,
  editRate: 0.15,
  offlineRate: 0.03,
  maxOfflineMs: 10 * DAY,
  crashRate: 0.05,
  restoreRate: 0.02,
  maxSkewMs: 30_000,
  nodes: 3,
  storage: 'sqlite',
  maxDelayTurns: 3,
  lossRate: 0.02,
};

/** A device taking part. */
export interface SimDevice {
  readonly id: string;
  readonly account: SimAccount;
  readonly store: ClientStore;
  readonly swarm: SimSwarmApi;
  readonly sync: ConfigSync;
  offlineUntil: number;
  removed: boolean;
  /** Edits not yet known to be on the swarm, and those that are. */
  readonly pending: Map<SyncKind, ConfigDocument[]>;
}

export interface SimAccount {
  readonly index: number;
  readonly identity: Identity;
  readonly devices: SimDevice[];
  readonly committed: Map<SyncKind, ConfigDocument[]>;
}

/** Where other drivers (DMs through `createClient`) plug in. */
export interface SimHooks {
  onRound?(ctx: {
    round: number;
    network: SimNetwork;
    accounts: readonly SimAccount[];
    rng: SimRng;
  }): Promise<void>;
}

/** The numbers a run reports. */
export interface SimMetrics {
  seed: number;
  accounts: number;
  devices: number;
  rounds: number;
  simulatedDays: number;
  edits: number;
  pulls: number;
  pushes: number;
  merged: number;
  syncUpdatedEvents: number;
  failedRequests: number;
  undecryptable: number;
  divergentDevices: number;
  lostEdits: number;
  restores: number;
  restoresIncomplete: number;
  removals: number;
  offlineSpells: number;
  crashes: number;
  restarts: number;
  networkRequests: number;
  lostRequests: number;
  convergenceRounds: number;
  dm: string;
}

/** Runs one scenario and returns its metrics. */
export async function runSyncSimulation(
  options: SimOptions,
  hooks: SimHooks = {},
): Promise<SimMetrics> {
  const rng = createSimRng(options.seed);
  const clock = createSimClock();
  const network = createSimNetwork({
    rng: rng.fork(),
    clock,
    nodeCount: options.nodes,
    storage: options.storage,
    weather: { maxDelayTurns: options.maxDelayTurns, lossRate: options.lossRate },
  });
  const m: SimMetrics = {
    seed: options.seed,
    accounts: options.accounts,
    devices: 0,
    rounds: options.rounds,
    simulatedDays: 0,
    edits: 0,
    pulls: 0,
    pushes: 0,
    merged: 0,
    syncUpdatedEvents: 0,
    failedRequests: 0,
    undecryptable: 0,
    divergentDevices: 0,
    lostEdits: 0,
    restores: 0,
    restoresIncomplete: 0,
    removals: 0,
    offlineSpells: 0,
    crashes: 0,
    restarts: 0,
    networkRequests: 0,
    lostRequests: 0,
    convergenceRounds: 0,
    dm: 'DMs run in dm-scenario.ts (npm run sim reports both)',
  };
  let deviceSerial = 0;

  function addDevice(account: SimAccount): SimDevice {
    const store = createMemoryStores();
    const skew = rng.between(-options.maxSkewMs, options.maxSkewMs);
    const swarm = network.swarmApi(skew);
    const id = `dev-${(deviceSerial++).toString().padStart(4, '0')}`;
    // A device restored from the recovery password: the same seed gives the same identity.
    const identity = identityFromSeed(account.identity.seed);
    const device: SimDevice = {
      id,
      account,
      store,
      swarm,
      sync: createConfigSync({ identity, deviceId: id, store, swarm }),
      offlineUntil: 0,
      removed: false,
      pending: new Map(),
    };
    account.devices.push(device);
    m.devices++;
    return device;
  }

  const accounts: SimAccount[] = [];
  for (let i = 0; i < options.accounts; i++) {
    const seed = rng.randomBytes(32);
    const account: SimAccount = {
      index: i,
      identity: identityFromSeed(seed),
      devices: [],
      committed: new Map(),
    };
    accounts.push(account);
    const n = rng.between(options.minDevices, options.maxDevices);
    for (let d = 0; d < n; d++) addDevice(account);
  }
  const peers = accounts.map((a) => a.identity.sessionId);

  function randomEdit(account: SimAccount): [SyncKind, ConfigChange] {
    const others = peers.filter((p) => p !== account.identity.sessionId);
    const peer = rng.pick(others.length > 0 ? others : peers);
    switch (rng.int(6)) {
      case 0:
        return ['userProfile', setProfile({ name: `name ${rng.int(1000)}` })];
      case 1:
        return [
          'userProfile',
          setProfile({
            avatar: rng.chance(0.2)
              ? null
              : { url: `http://files/${rng.int(1e6)}`, key: rng.randomBytes(32) },
          }),
        ];
      case 2:
        return [
          'contacts',
          setContact(peer, {
            approved: true,
            nickname: rng.chance(0.3) ? null : `nick ${rng.int(100)}`,
          }),
        ];
      case 3:
        return [
          'contacts',
          rng.chance(0.5) ? removeRecord(peer) : setContact(peer, { blocked: rng.chance(0.5) }),
        ];
      case 4:
        return [
          'convoInfoVolatile',
          setConvoInfo(peer, {
            readAt: clock.now() - rng.int(DAY),
            mutedUntil: rng.chance(0.5) ? 0 : clock.now() + DAY,
          }),
        ];
      default:
        return [
          'convoInfoVolatile',
          setConvoInfo(peer, {
            disappearing: rng.chance(0.5)
              ? { mode: 'off', timerSeconds: 0 }
              : { mode: 'after-read', timerSeconds: 3600 },
          }),
        ];
    }
  }

  async function syncDevice(device: SimDevice): Promise<{ failed: readonly SyncKind[] }> {
    const r = await device.sync.sync();
    m.pulls++;
    m.pushes += r.pushed.length;
    m.merged += r.merged;
    m.undecryptable += r.rejected;
    m.syncUpdatedEvents += r.updates.length;
    m.failedRequests += r.failed.length;
    // Edits of kinds now clean are on the swarm: committed.
    for (const kind of SYNC_KINDS) {
      const record = await device.store.config.getConfig(
        device.account.identity.sessionId,
        SYNC_SCHEMAS[kind].namespace,
      );
      const pending = device.pending.get(kind) ?? [];
      if (record !== undefined && !record.needsPush && pending.length > 0) {
        const list = device.account.committed.get(kind) ?? [];
        list.push(...pending);
        device.account.committed.set(kind, list);
        device.pending.set(kind, []);
      }
    }
    return r;
  }

  async function deviceRound(device: SimDevice): Promise<void> {
    if (device.removed || device.offlineUntil > clock.now()) return;
    if (rng.chance(options.offlineRate)) {
      device.offlineUntil = clock.now() + rng.between(HOUR, options.maxOfflineMs);
      m.offlineSpells++;
      return;
    }
    if (rng.chance(options.editRate)) {
      const [kind, change] = randomEdit(device.account);
      const doc = await device.sync.change(kind, change);
      m.edits++;
      device.pending.set(kind, [...(device.pending.get(kind) ?? []), doc]);
    }
    await syncDevice(device);
  }

  async function checkRestore(device: SimDevice): Promise<void> {
    // Its first successful pull must hold every edit committed before it started.
    const before = new Map([...device.account.committed].map(([k, v]) => [k, [...v]]));
    for (let attempt = 0; attempt < 3; attempt++) {
      if ((await syncDevice(device)).failed.length === 0) break;
    }
    let incomplete = false;
    for (const [kind, edits] of before) {
      const doc = await device.sync.document(kind);
      if (edits.some((e) => !dominates(doc, e))) incomplete = true;
    }
    if (incomplete) m.restoresIncomplete++;
  }

  let removalDone = false;
  for (let round = 0; round < options.rounds; round++) {
    clock.advance(options.roundMs);
    // Node weather.
    for (const node of network.nodes) {
      if (network.isUp(node) && rng.chance(options.crashRate)) {
        // Keep at least one node up, as a swarm does.
        if (network.nodes.filter((n) => network.isUp(n)).length > 1) network.crash(node);
      } else if (!network.isUp(node) && rng.chance(0.5)) {
        network.restart(node);
      }
    }
    // A removal, once, mid-run: the device stops taking part (its unpushed edits are lost).
    if (!removalDone && round === Math.floor(options.rounds / 2)) {
      const account = accounts.find((a) => a.devices.filter((d) => !d.removed).length > 1);
      const victim = account?.devices.find((d) => !d.removed);
      if (victim !== undefined) {
        victim.removed = true;
        m.removals++;
      }
      removalDone = true;
    }
    const restored: SimDevice[] = [];
    for (const account of accounts) {
      if (account.devices.length < options.maxDevices + 2 && rng.chance(options.restoreRate)) {
        restored.push(addDevice(account));
        m.restores++;
      }
    }
    const live = accounts.flatMap((a) => a.devices.filter((d) => !restored.includes(d)));
    // Every device acts at once; delays in the network interleave them.
    await Promise.all([...live.map(deviceRound), ...restored.map(checkRestore)]);
    await hooks.onRound?.({ round, network, accounts, rng });
  }

  // Everyone comes back (nodes too) and syncs until nothing changes.
  for (const node of network.nodes) network.restart(node);
  const finalists = accounts.flatMap((a) => a.devices.filter((d) => !d.removed));
  for (const d of finalists) d.offlineUntil = 0;
  const snapshot = async (): Promise<string> =>
    (
      await Promise.all(
        finalists.map(async (d) =>
          (await Promise.all(SYNC_KINDS.map(async (k) => hex(await d.sync.document(k))))).join(),
        ),
      )
    ).join('|');
  let before = await snapshot();
  for (let i = 0; i < 10; i++) {
    clock.advance(HOUR);
    await Promise.all(finalists.map(async (d) => syncDevice(d)));
    m.convergenceRounds++;
    const after = await snapshot();
    if (after === before && i > 0) break;
    before = after;
  }

  // Invariants.
  for (const account of accounts) {
    const live = account.devices.filter((d) => !d.removed);
    for (const kind of SYNC_KINDS) {
      const docs = await Promise.all(live.map((d) => d.sync.document(kind)));
      const first = docs[0];
      if (first === undefined) continue;
      for (const doc of docs.slice(1)) if (hex(doc) !== hex(first)) m.divergentDevices++;
      for (const edit of account.committed.get(kind) ?? [])
        if (!dominates(first, edit)) m.lostEdits++;
      for (const d of live)
        for (const edit of d.pending.get(kind) ?? []) if (!dominates(first, edit)) m.lostEdits++;
    }
  }
  m.crashes = network.stats.crashes;
  m.restarts = network.stats.restarts;
  m.networkRequests = network.stats.requests;
  m.lostRequests = network.stats.lost;
  m.simulatedDays = Math.round(((options.rounds * options.roundMs) / DAY) * 10) / 10;
  network.close();
  return m;
}

function hex(doc: ConfigDocument): string {
  return toHex(encodeConfigDocument(doc));
}

/** Whether `doc` already contains everything in `edit`. */
function dominates(doc: ConfigDocument, edit: ConfigDocument): boolean {
  return hex(mergeConfigDocuments(doc, edit)) === hex(doc);
}
