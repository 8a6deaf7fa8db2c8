/**
 * The conversation scenario's bookkeeping and its invariants (issue 6, "The deterministic
 * simulation"): what the scenario remembers about devices, accounts and sends, the metrics one
 * run reports, and the end-of-run check that turns what every device showed into counts.
 *
 * The invariants, each a count that must be 0 (`brokenInvariants`):
 * - `lost`: a message not shown on a device of the recipient that was registered when it was
 *   sent and came online within the message's TTL; for a device removed later, only messages
 *   on the swarm before its last successful poll as a member count;
 * - `duplicated`: a message shown twice on one device;
 * - `undecryptable`: an unopenable message on a registered device, outside the inbox history
 *   a newly linked device reads from before it joined;
 * - `syncMissing`: a sent message missing on one of the sender's other registered devices;
 * - `removedReadAfterRemoval`: a message sent after a device's removal that it showed;
 * - `displacedDevices`: a device whose client says `displaced` (its group moved on without
 *   it) though the scenario never removed it;
 * - `linkSyncMissing`: a conversation the linking device had that a restored device did not
 *   know after its first round (config sync);
 * - `sendErrors`: a `send` that threw.
 */
import type { Client, ClientStore } from '@session-ts/sdk';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface Device {
  readonly name: string;
  readonly account: Account;
  /** The client's store (the scenario reads its key ring to see rotations). */
  readonly store: ClientStore;
  readonly client: Client;
  registered: boolean;
  /** A poll ran after this device was admitted. */
  polledSinceLink: boolean;
  removed: boolean;
  removedAt: number;
  /** When the last poll that succeeded while the device was registered started. */
  lastPolledAt: number;
  /** Its client reported `displaced` (out of its group) while the scenario never removed it. */
  displaced: boolean;
  offlineUntil: number;
  /** Times (simulated) this device came back after an offline spell, with the spell's start. */
  readonly offlineSpells: { readonly from: number; readonly until: number }[];
  /** Message body → times shown as incoming / as our own sent elsewhere. */
  readonly incoming: Map<string, number>;
  readonly mirrored: Map<string, number>;
}

export interface Account {
  readonly index: number;
  sessionId: string;
  recoveryPassword: string;
  readonly devices: Device[];
}

export interface Sent {
  readonly body: string;
  readonly from: Device;
  readonly to: Account;
  readonly recipients: readonly Device[];
  readonly senderPeers: readonly Device[];
  readonly sentAt: number;
  /** When `send` returned with the message on the swarm (`Infinity` when it was queued). */
  storedAt: number;
  status: string;
}

export interface DmSimMetrics {
  seed: number;
  accounts: number;
  devices: number;
  nodes: number;
  swarms: number;
  rounds: number;
  simulatedDays: number;
  sent: number;
  sendErrors: number;
  expectedDeliveries: number;
  delivered: number;
  lost: number;
  duplicated: number;
  undecryptable: number;
  undecryptableOnRemoved: number;
  /** Unopenable messages a newly linked device found from before it joined (by design). */
  undecryptablePreLinkHistory: number;
  syncExpected: number;
  syncMissing: number;
  linked: number;
  linkFailures: number;
  /** Conversations the linking device had that the new device should learn by config sync. */
  linkSyncExpected: number;
  /** …and those it did not know at the end. */
  linkSyncMissing: number;
  removals: number;
  removedReadAfterRemoval: number;
  /** Devices that found themselves displaced from their group though nobody removed them. */
  displacedDevices: string[];
  /** Account-key rotations devices made in `tick`. */
  accountRotations: number;
  /** Rounds in which two or more devices of one account rotated the account key (crossing). */
  crossingRotations: number;
  offlineSpells: number;
  crashes: number;
  /** Requests through the weather (client and relay hops), and how many it lost each way. */
  networkRequests: number;
  lostRequests: number;
  lostAnswers: number;
  /** Messages newly stored on nodes (first copies and replicas). */
  storedOnNodes: number;
  /** SHA-256 over every newly stored (node, message hash) in order: one seed, one digest. */
  storedDigest: string;
  /** Up to 10 lost deliveries: message, recipient device, and when (simulated hours). */
  lostSamples: string[];
  /** Lost deliveries that are in the recipient's store all the same (event not emitted). */
  storedNotShown: number;
  /** Where and when (simulated hours) polls reported unopenable messages. */
  undecryptableAt: Record<string, number>;
  /** The clients' logged warnings and errors, by message. */
  clientWarnings: Record<string, number>;
  /** How `send` left each message (sent, queued, blocked …). */
  sendStatuses: Record<string, number>;
  errors: string[];
}

/** A zeroed metrics record. */
export function emptyMetrics(seed: number, accounts: number): DmSimMetrics {
  return {
    seed,
    accounts,
    devices: 0,
    nodes: 0,
    swarms: 0,
    rounds: 0,
    simulatedDays: 0,
    sent: 0,
    sendErrors: 0,
    expectedDeliveries: 0,
    delivered: 0,
    lost: 0,
    duplicated: 0,
    undecryptable: 0,
    undecryptableOnRemoved: 0,
    undecryptablePreLinkHistory: 0,
    syncExpected: 0,
    syncMissing: 0,
    linked: 0,
    linkFailures: 0,
    linkSyncExpected: 0,
    linkSyncMissing: 0,
    removals: 0,
    removedReadAfterRemoval: 0,
    displacedDevices: [],
    accountRotations: 0,
    crossingRotations: 0,
    offlineSpells: 0,
    crashes: 0,
    networkRequests: 0,
    lostRequests: 0,
    lostAnswers: 0,
    storedOnNodes: 0,
    storedDigest: '',
    lostSamples: [],
    storedNotShown: 0,
    undecryptableAt: {},
    clientWarnings: {},
    sendStatuses: {},
    errors: [],
  };
}

/** Whether `device` was back online within `ttlMs` of `sentAt` (no spell covered the window). */
function onlineWithin(device: Device, sentAt: number, ttlMs: number): boolean {
  return !device.offlineSpells.some((s) => s.from <= sentAt && s.until >= sentAt + ttlMs);
}

/** Counts deliveries, losses, duplicates, sync copies and post-removal reads into `m`. */
export async function checkDeliveries(
  sends: readonly Sent[],
  m: DmSimMetrics,
  options: { readonly ttlMs: number; readonly hours: (t: number) => number },
): Promise<void> {
  const h = options.hours;
  for (const s of sends) {
    for (const d of s.recipients) {
      if (!onlineWithin(d, s.sentAt, options.ttlMs)) continue;
      // A device removed later owes only what was on the swarm before its last poll as a
      // member: it may never have come back before the removal.
      if (d.removed && !(s.storedAt < d.lastPolledAt)) continue;
      m.expectedDeliveries++;
      const n = d.incoming.get(s.body) ?? 0;
      if (n === 0) {
        // Stored but never shown as a 'message' event?
        const stored = await d.client.listMessages(s.from.account.sessionId).catch(() => []);
        if (stored.some((x) => x.body === s.body)) m.storedNotShown++;
        m.lost++;
        if (m.lostSamples.length < 10) {
          m.lostSamples.push(`${s.body} to ${d.name} at h${h(s.sentAt)} [${s.status}]`);
        }
      } else m.delivered++;
      if (n > 1) m.duplicated++;
    }
    for (const d of s.senderPeers) {
      if (d.removed) continue;
      m.syncExpected++;
      if ((d.mirrored.get(s.body) ?? 0) === 0) m.syncMissing++;
      if ((d.mirrored.get(s.body) ?? 0) > 1) m.duplicated++;
    }
    for (const d of s.to.devices) {
      if (d.removed && s.sentAt > d.removedAt && (d.incoming.get(s.body) ?? 0) > 0) {
        m.removedReadAfterRemoval++;
      }
    }
  }
}

/** The sum of the counts that must be 0; a run with a non-zero sum broke an invariant. */
export function brokenInvariants(m: DmSimMetrics): number {
  return (
    m.lost +
    m.duplicated +
    m.undecryptable +
    m.syncMissing +
    m.removedReadAfterRemoval +
    m.displacedDevices.length +
    m.linkSyncMissing +
    m.sendErrors
  );
}
