/**
 * The conversation scenario (issue 6, "The deterministic simulation"): real SDK clients
 * (`createClient`) on the simulated network of sim-onion-network.ts — a seed, service nodes
 * with onion endpoints, net's `createNetwork` per device, every request through 3-hop paths.
 * ≥ 5 accounts, each with 1–N linked devices (restore from the recovery password → SAS →
 * confirm), send messages both ways at random; devices go offline for up to 10 days, new
 * devices link mid-conversation, devices are removed (spread over the run), account keys
 * rotate on each device's skewed clock (`tick`; devices of one account often rotate in the
 * same round, crossing), nodes crash and restart, requests are delayed, reordered and lost on
 * every hop. Then everyone comes online and polls until quiet, and dm-invariants.ts counts.
 *
 * `messages`, when set, runs rounds until that many messages have been sent (the long run).
 */
import { createHash } from 'node:crypto';
import { currentAccountKey } from '@session-ts/core';
import { DM_TTL_MS, createClient, createMemoryStores, type ClientStore } from '@session-ts/sdk';
import { SIM_EPOCH as SIM_START, createSimClock } from './sim-network.ts';
import { createOnionSimNetwork } from './sim-onion-network.ts';
import { createSimRng, type SimRng } from './sim-rng.ts';
import {
  DAY,
  HOUR,
  checkDeliveries,
  emptyMetrics,
  type Account,
  type Device,
  type DmSimMetrics,
  type Sent,
} from './dm-invariants.ts';

export type { Account, Device, DmSimMetrics } from './dm-invariants.ts';
export { brokenInvariants } from './dm-invariants.ts';

export interface DmSimOptions {
  readonly seed: number;
  readonly accounts: number;
  readonly minDevices: number;
  readonly maxDevices: number;
  /** Rounds to run (with `messages`: the most rounds to run). */
  readonly rounds: number;
  /** Run until this many messages have been sent (then stop early). */
  readonly messages?: number;
  readonly roundMs: number;
  /** Messages per online device and round (a fraction is a chance: 0.3 sends one 30% of rounds). */
  readonly sendRate: number;
  readonly offlineRate: number;
  readonly maxOfflineMs: number;
  readonly crashRate: number;
  readonly linkRate: number;
  /** Device removals, spread evenly over the run (each of a device with a registered peer). */
  readonly removals: number;
  readonly maxSkewMs: number;
  readonly nodes: number;
  readonly swarmSize: number;
  readonly storage: 'sqlite' | 'memory';
  readonly maxDelayTurns: number;
  /** Chance per hop (client → guard, relay → relay) that a request or its answer is lost. */
  readonly lossRate: number;
  /**
   * Passed to every client (`ClientDeps.keyRecheckMs`); default the SDK's (0: a sender re-reads
   * the recipient's account keys before each send). A day is the SDK's earlier key cache.
   */
  readonly keyRecheckMs?: number;
  /** Called after each round with the running counts (progress of long runs). */
  readonly onRound?: (
    m: Readonly<DmSimMetrics>,
    accounts: readonly Account[],
  ) => Promise<void> | void;
}

export const QUICK_DM_SIM: DmSimOptions = {
  seed: 1,
  accounts: 5,
  minDevices: 1,
  maxDevices: 3,
  rounds: 24,
  roundMs: 6 * HOUR,
  sendRate: 0.3,
  offlineRate: 0.03,
  maxOfflineMs: 10 * DAY,
  crashRate: 0.03,
  linkRate: 0.03,
  removals: 2,
  maxSkewMs: 30_000,
  nodes: 8,
  swarmSize: 4,
  storage: 'sqlite',
  maxDelayTurns: 2,
  lossRate: 0.01,
};

/** The id of the account key `store`'s device holds as current ('' when none). */
export async function currentKeyId(store: ClientStore): Promise<string> {
  const state = await store.deviceState.get();
  const key = state === undefined ? undefined : currentAccountKey(state.accountKeys);
  if (key === undefined) return '';
  return createHash('sha256').update(key.seed.borrowBytes()).digest('hex').slice(0, 16);
}

/** Runs the conversation scenario. */
export async function runDmSimulation(options: DmSimOptions): Promise<DmSimMetrics> {
  const rng: SimRng = createSimRng(options.seed);
  const clock = createSimClock();
  const network = await createOnionSimNetwork({
    rng: rng.fork(),
    clock,
    nodeCount: options.nodes,
    swarmSize: options.swarmSize,
    storage: options.storage,
    weather: { maxDelayTurns: options.maxDelayTurns, lossRate: options.lossRate },
  });
  const m = emptyMetrics(options.seed, options.accounts);
  m.nodes = options.nodes;
  m.swarms = network.swarms;
  const hours = (t: number): number => Math.round((t - SIM_START) / HOUR);
  const note = (what: string, error: unknown): void => {
    if (m.errors.length < 10) m.errors.push(`${what}: ${String(error).slice(0, 160)}`);
  };
  const warn = (message: string): void => {
    m.clientWarnings[message] = (m.clientWarnings[message] ?? 0) + 1;
  };
  let serial = 0;

  function newDevice(account: Account): Device {
    const skew = rng.between(-options.maxSkewMs, options.maxSkewMs);
    const name = `a${account.index}d${account.devices.length}`;
    const store = createMemoryStores();
    const device: Device = {
      name,
      account,
      store,
      client: createClient({
        store,
        network: network.clientNetwork(skew, rng.fork()),
        // The device's own clock, skewed; its network layer corrects signing time from answers.
        clock: { now: () => clock.now() + skew },
        rng: rng.fork(),
        ...(options.keyRecheckMs === undefined ? {} : { keyRecheckMs: options.keyRecheckMs }),
        device: { type: 'c', description: name },
        logger: {
          warn: (message) => warn(message),
          error: (message) => warn(`error: ${message}`),
        },
      }),
      registered: false,
      polledSinceLink: false,
      removed: false,
      removedAt: 0,
      lastPolledAt: 0,
      displaced: false,
      offlineUntil: 0,
      offlineSpells: [],
      incoming: new Map(),
      mirrored: new Map(),
    };
    device.client.on('message', (e) => {
      const map = e.message.direction === 'incoming' ? device.incoming : device.mirrored;
      map.set(e.message.body, (map.get(e.message.body) ?? 0) + 1);
    });
    account.devices.push(device);
    m.devices++;
    return device;
  }

  async function poll(device: Device): Promise<void> {
    const started = clock.now();
    try {
      const s = await device.client.poll();
      if (device.registered && !device.removed) {
        device.lastPolledAt = started;
        // Nobody removed it, so it must still be in its group.
        if (!device.displaced && (await device.client.membership()) === 'displaced') {
          device.displaced = true;
          m.displacedDevices.push(`${device.name} h${hours(clock.now())}`);
        }
      }
      // A new device's first polls read the inbox from before it joined: PFS keeps that
      // history from it by design, so those count apart.
      const history = !device.polledSinceLink;
      if (device.registered) device.polledSinceLink = true;
      if (device.removed) m.undecryptableOnRemoved += s.undecryptable;
      else if (history) m.undecryptablePreLinkHistory += s.undecryptable;
      else m.undecryptable += s.undecryptable;
      if (s.undecryptable > 0) {
        const at = `${device.name}${device.removed ? ' (removed)' : ''} h${hours(clock.now())}`;
        m.undecryptableAt[at] = (m.undecryptableAt[at] ?? 0) + s.undecryptable;
      }
    } catch (error) {
      note(`poll ${device.name}`, error);
    }
  }

  /** Conversations a new device must learn through config sync, until it is checked. */
  const linkExpect = new Map<Device, readonly string[]>();

  /** Links a new device through an online registered one (restore → SAS → confirm). */
  async function link(account: Account, via: Device): Promise<void> {
    const device = newDevice(account);
    try {
      const before = await via.client.listConversations();
      const start = await device.client.restoreAccount(account.recoveryPassword);
      if (start.kind !== 'link-requested') throw new Error(`link start: ${start.kind}`);
      await poll(via);
      await poll(device);
      if (!(await device.client.confirmLink())) throw new Error('not admitted');
      device.registered = true;
      linkExpect.set(
        device,
        before.map((c) => c.id),
      );
      m.linked++;
    } catch (error) {
      m.linkFailures++;
      device.removed = true;
      note(`link ${device.name}`, error);
    }
  }

  async function checkLinkSync(device: Device): Promise<void> {
    const expected = linkExpect.get(device) ?? [];
    linkExpect.delete(device);
    const known = new Set((await device.client.listConversations()).map((c) => c.id));
    m.linkSyncExpected += expected.length;
    m.linkSyncMissing += expected.filter((id) => !known.has(id)).length;
  }

  // Accounts and their first devices are made in calm weather: a lost request here would
  // only leave an account that never existed (the run's subject is what happens after).
  network.setLoss(false);
  const accounts: Account[] = [];
  for (let i = 0; i < options.accounts; i++) {
    const account: Account = { index: i, sessionId: '', recoveryPassword: '', devices: [] };
    accounts.push(account);
    const first = newDevice(account);
    const created = await first.client.createAccount();
    account.sessionId = created.sessionId;
    account.recoveryPassword = created.recoveryPassword;
    first.registered = true;
    first.polledSinceLink = true;
    const n = rng.between(options.minDevices, options.maxDevices);
    for (let d = 1; d < n; d++) await link(account, first);
  }

  network.setLoss(true);

  const online = (d: Device): boolean => !d.removed && d.offlineUntil <= clock.now();
  const live = (a: Account): Device[] => a.devices.filter((d) => d.registered && !d.removed);
  const sends: Sent[] = [];
  /** Devices that rotated the account key this round, per account. */
  let rotatedThisRound = new Map<Account, number>();

  async function deviceRound(device: Device): Promise<void> {
    if (!online(device)) return;
    if (rng.chance(options.offlineRate)) {
      device.offlineUntil = clock.now() + rng.between(HOUR, options.maxOfflineMs);
      device.offlineSpells.push({ from: clock.now(), until: device.offlineUntil });
      m.offlineSpells++;
      return;
    }
    const keyBefore = await currentKeyId(device.store);
    await device.client.tick().catch((error: unknown) => note(`tick ${device.name}`, error));
    // `tick` does not poll, so a new current key after it is this device's own rotation.
    if ((await currentKeyId(device.store)) !== keyBefore) {
      m.accountRotations++;
      rotatedThisRound.set(device.account, (rotatedThisRound.get(device.account) ?? 0) + 1);
    }
    await poll(device);
    // A restored device's first round: it must know the conversations its account had.
    if (linkExpect.has(device)) await checkLinkSync(device);
    // `sendRate` messages per round on average: its whole part always, its fraction by chance.
    const count = Math.floor(options.sendRate) + (rng.chance(options.sendRate % 1) ? 1 : 0);
    for (let i = 0; i < count && device.registered; i++) await sendOne(device);
  }

  async function sendOne(device: Device): Promise<void> {
    const to = rng.pick(accounts.filter((a) => a !== device.account));
    const body = `m${serial++} ${device.name}→a${to.index}`;
    const record: Sent = {
      body,
      from: device,
      to,
      recipients: live(to),
      senderPeers: live(device.account).filter((d) => d !== device),
      sentAt: clock.now(),
      storedAt: Infinity,
      status: '',
    };
    try {
      const stored = await device.client.send(to.sessionId, body);
      record.status = stored.status;
      // On the swarm by now, unless it waits in the outbox (then: some later time).
      if (stored.status === 'sent') record.storedAt = clock.now();
      m.sendStatuses[stored.status] = (m.sendStatuses[stored.status] ?? 0) + 1;
      sends.push(record);
      m.sent++;
    } catch (error) {
      m.sendErrors++;
      note(`send ${device.name}`, error);
    }
  }

  /** Removes a registered device of an account that has another online one. */
  async function removeOne(): Promise<void> {
    const candidates = accounts.filter((a) => live(a).length > 1 && live(a).some(online));
    if (candidates.length === 0) return;
    const account = rng.pick(candidates);
    const remover = live(account).find(online);
    const victims = live(account).filter((d) => d !== remover);
    if (remover === undefined || victims.length === 0) return;
    const victim = rng.pick(victims);
    try {
      if (await remover.client.removeDevice(await victim.client.deviceId())) {
        victim.removed = true;
        victim.removedAt = clock.now();
        m.removals++;
      }
    } catch (error) {
      note('remove', error);
    }
  }

  const target = options.messages ?? Infinity;
  /** Whether removal number `k` (from 1) is due: evenly spread over messages or rounds. */
  const removalDue = (k: number, round: number): boolean =>
    k <= options.removals &&
    (options.messages === undefined
      ? round >= (k * options.rounds) / (options.removals + 1)
      : m.sent >= (k * options.messages) / (options.removals + 1));
  let round = 0;
  for (; round < options.rounds && m.sent < target; round++) {
    clock.advance(options.roundMs);
    for (const node of network.nodes) {
      if (network.isUp(node) && rng.chance(options.crashRate)) {
        // At most a quarter of the nodes down at once, so every swarm keeps a member.
        const down = network.nodes.filter((n) => !network.isUp(n)).length;
        if (down + 1 <= Math.floor(options.nodes / 4)) network.crash(node);
      } else if (!network.isUp(node) && rng.chance(0.5)) {
        network.restart(node);
      }
    }
    if (removalDue(m.removals + 1, round)) await removeOne();
    const linking: Promise<void>[] = [];
    // A third of the way in, one account restores a device whatever the dice say, so every
    // run has a device that joins mid-conversation and must catch up by config sync.
    const canLink = accounts.filter((a) => a.devices.some((d) => d.registered && online(d)));
    const forced =
      round === Math.floor(options.rounds / 3) && canLink.length > 0
        ? rng.pick(canLink)
        : undefined;
    for (const account of accounts) {
      const via = account.devices.find((d) => d.registered && online(d));
      if (
        via !== undefined &&
        (account === forced ||
          (account.devices.length < options.maxDevices && rng.chance(options.linkRate)))
      ) {
        linking.push(link(account, via));
      }
    }
    rotatedThisRound = new Map();
    const devices = accounts.flatMap((a) => a.devices.filter((d) => d.registered));
    await Promise.all([...devices.map(deviceRound), ...linking]);
    for (const n of rotatedThisRound.values()) if (n > 1) m.crossingRotations++;
    m.rounds = round + 1;
    await options.onRound?.(m, accounts);
  }
  m.rounds = round;

  // Everyone back online; poll until quiet.
  for (const node of network.nodes) network.restart(node);
  const all = accounts.flatMap((a) => a.devices);
  for (const d of all) d.offlineUntil = 0;
  for (let i = 0; i < 4; i++) {
    clock.advance(HOUR);
    await Promise.all(
      all
        .filter((d) => d.registered)
        .map(async (d) => {
          if (!d.removed) await d.client.tick().catch((error: unknown) => note('tick', error));
          await poll(d);
        }),
    );
  }

  await checkDeliveries(sends, m, { ttlMs: DM_TTL_MS, hours });
  // Restored (linked) devices: the conversations the linking device had must have arrived.
  for (const device of [...linkExpect.keys()]) if (!device.removed) await checkLinkSync(device);
  m.crashes = network.stats.crashes;
  m.networkRequests = network.stats.requests;
  m.lostRequests = network.stats.lostOut;
  m.lostAnswers = network.stats.lostBack;
  m.storedOnNodes = network.stats.stored;
  m.storedDigest = network.storedDigest();
  m.simulatedDays = Math.round(((round * options.roundMs) / DAY) * 10) / 10;
  network.close();
  return m;
}
