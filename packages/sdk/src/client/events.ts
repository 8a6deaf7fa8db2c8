/**
 * The client's typed events and the small emitter behind them (no globals: each client owns
 * one). Listeners run synchronously, in subscription order; a throwing listener is logged by
 * the client and does not stop the others.
 */
import type {
  DeviceStateSnapshot,
  EmojiSas,
  IncomingDmSecurity,
  Membership,
} from '@session-ts/core';
import type { MessageSecurity, StoredMessage } from '../stores/conversation-store.ts';
import type { SyncKind } from '../sync/config-schema.ts';
import type { FieldChange } from '../sync/config-views.ts';

/** How a delivered message was protected and where it came from. */
export interface MessageMetadata {
  /** The decryption path: V2 PFS, V2 non-PFS, or V1. */
  readonly path: MessageSecurity;
  readonly security: IncomingDmSecurity;
  /** The sender is known to have V2 keys but used a weaker path. */
  readonly downgradeSuspected: boolean;
  /** The swarm message hash. */
  readonly hash: string;
  /** The sender's timestamp (`Content.sigTimestamp`), unix ms. */
  readonly timestamp: number;
}

/** Why the client raised a security notice. */
export type SecurityNoticeKind =
  /** A send was refused: the contact is known to have V2 keys, none are usable now. */
  | 'downgrade-refused'
  /** A send went out weaker than PFS (V1 or V2 non-PFS), as the policy allows. */
  | 'weaker-send'
  /** A message arrived weaker than PFS from a contact known to have V2 keys. */
  | 'downgrade-suspected'
  /** A message could not be decrypted with any retained key, even after refetching ours. */
  | 'undecryptable'
  /**
   * Another device group of this account is in the swarm while this device is in its own (two
   * devices started groups at once, or a copy of an old device did): contacts use whichever
   * group last published its account key, so the other group's devices stop reading new
   * messages. `detail` is the group ID; the device that should move calls `joinGroup(detail)`.
   * Once per group; `accountId` is our own.
   */
  | 'group-appeared';

/** Every event a client emits, by name. */
export interface ClientEvents {
  /** A message to show (incoming, or one of ours sent from another device). */
  readonly message: { readonly message: StoredMessage; readonly metadata: MessageMetadata };
  /** A first message from an unknown sender opened a message request. */
  readonly request: { readonly conversationId: string; readonly message: StoredMessage };
  /** A device joined the group (`self: true`: this device was admitted). */
  readonly 'device-linked': { readonly deviceId: string; readonly self: boolean };
  /** A device was removed or left (`self: true`: this device was removed). */
  readonly 'device-removed': {
    readonly deviceId: string;
    readonly self: boolean;
    readonly reason: 'removed' | 'left';
  };
  /** A new device asks to join; compare `sas` with its screen, then approve or ignore. */
  readonly 'device-link-requested': {
    readonly requestId: number;
    readonly deviceId: string;
    readonly sas: EmojiSas;
    /** The client admitted it already (approval not required by the account settings). */
    readonly autoApproved: boolean;
  };
  /** Something another device of this account did arrived here (a sent message, config). */
  readonly 'sync-updated': {
    readonly source: 'sent-message' | 'config';
    readonly conversationId?: string;
    /** Config: the namespace (2–5) the changes came from. */
    readonly namespace?: number;
    /** Config: which document changed. */
    readonly kind?: SyncKind;
    /** Config: the visible field changes the merge brought. */
    readonly changes?: readonly FieldChange[];
  };
  readonly 'security-notice': {
    readonly kind: SecurityNoticeKind;
    /** The contact concerned. */
    readonly accountId: string;
    readonly detail?: string;
  };
  /** Delivery or read receipts updated outgoing messages. */
  readonly receipt: {
    readonly conversationId: string;
    readonly kind: 'delivered' | 'read';
    readonly messageIds: readonly string[];
  };
  readonly typing: { readonly conversationId: string; readonly started: boolean };
  /** Messages left: expired, or unsent by their author. */
  readonly 'message-deleted': {
    readonly conversationId: string;
    readonly messageId: string;
    readonly reason: 'expired' | 'unsent';
  };
  readonly 'membership-changed': {
    readonly membership: Membership;
    readonly state: DeviceStateSnapshot;
  };
}

export type ClientEventName = keyof ClientEvents;
export type Listener<K extends ClientEventName> = (event: ClientEvents[K]) => void;

/** A typed emitter. */
export interface Emitter {
  /** Subscribes; returns the unsubscribe function. */
  on<K extends ClientEventName>(name: K, listener: Listener<K>): () => void;
  emit<K extends ClientEventName>(name: K, event: ClientEvents[K]): void;
}

/** Makes an emitter; `onError` hears listener failures. */
export function createEmitter(onError: (error: unknown) => void): Emitter {
  const listeners = new Map<ClientEventName, Set<(event: never) => void>>();
  return {
    on(name, listener) {
      let set = listeners.get(name);
      if (set === undefined) {
        set = new Set();
        listeners.set(name, set);
      }
      const fn = listener as (event: never) => void;
      set.add(fn);
      return () => {
        set.delete(fn);
      };
    },
    emit(name, event) {
      for (const fn of listeners.get(name) ?? []) {
        try {
          (fn as (e: typeof event) => void)(event);
        } catch (error) {
          onError(error);
        }
      }
    },
  };
}
