/**
 * Storage namespaces: signed 16-bit mailbox numbers within one account, their classes, what
 * each class allows, and Session's assignments (network.md §1.4; protocol-v2.md §4).
 *
 * Upstream: session-foundation/session-storage-server `oxenss/common/namespace.h` (the class
 * predicates), `oxenss/rpc/request_handler.cpp` (which predicate gates what) and
 * `oxenss/rpc/client_rpc_endpoints.h` (`signature_value`, the namespace in signed strings);
 * session-foundation/session-desktop `ts/session/apis/snode_api/namespaces.ts` (assignments).
 *
 * The classes do not overlap: a public inbox is even (|ns| ≡ 0 mod 10), a public outbox has
 * |ns| ≡ 1 mod 20, an unrevocable one |ns| ≡ 11 mod 100 (so ≡ 11 mod 20), and everything else is
 * private. The legacy closed-group namespace −10 is a public inbox that upstream also lets anyone
 * retrieve from (`is_noauth_retrieve_namespace`).
 */
import { ProtocolError } from '../errors.ts';
import { TTL_MAX_PRIVATE_MS, TTL_MAX_PUBLIC_MS } from './limits.ts';
import type { SubaccountFlag } from './subaccount-token.ts';

/** Smallest namespace (`namespace_id::Min`). */
export const NAMESPACE_MIN = -32768;
/** Largest namespace (`namespace_id::Max`). */
export const NAMESPACE_MAX = 32767;

/** A namespace number, validated to be an int16. */
export type Namespace = number;

/** A namespace, or every namespace of the account (`delete_all`, `delete_before`, `expire_all`). */
export type NamespaceSelector = Namespace | 'all';

/** Session's namespace assignments. */
export const NAMESPACES = {
  /** One-to-one messages, the default inbox (anyone may deposit). */
  DEFAULT: 0,
  /** User config: profile. */
  USER_PROFILE: 2,
  /** User config: contacts. */
  CONTACTS: 3,
  /** User config: conversation info (read state). */
  CONVO_INFO_VOLATILE: 4,
  /** User config: groups and communities. */
  USER_GROUPS: 5,
  /** Groups v2 (`03`): messages. */
  GROUP_MESSAGES: 11,
  /** Groups v2: keys. */
  GROUP_KEYS: 12,
  /** Groups v2: info config. */
  GROUP_INFO: 13,
  /** Groups v2: members config. */
  GROUP_MEMBERS: 14,
  /** Groups v2: messages revoked members can still retrieve (kick notices); unrevocable. */
  REVOKED_GROUP_MESSAGES: -11,
  /** Legacy closed groups: no auth to store or retrieve (deprecated upstream). */
  LEGACY_CLOSED_GROUP: -10,
  /** V2: the device-group message and link requests (private). */
  DEVICE_GROUP: 21,
  /** V2: the account's published pubkeys (public outbox: one message, anyone reads). */
  ACCOUNT_PUBKEYS: -21,
} as const;

/** The four namespace classes. */
export type NamespaceClass = 'public-inbox' | 'public-outbox' | 'unrevocable' | 'private';

/** What a namespace allows, as the storage server enforces it. */
export interface NamespaceRules {
  readonly class: NamespaceClass;
  /** Anyone may store without a signature (public inbox; `is_public_inbox_namespace`). */
  readonly storeWithoutAuth: boolean;
  /** Anyone may retrieve without a signature (public outbox and −10; `is_noauth_retrieve_namespace`). */
  readonly retrieveWithoutAuth: boolean;
  /** A store first deletes what is there, so it holds one message (public outbox). */
  readonly singleMessage: boolean;
  /** A revoked subaccount may still retrieve (`is_unrevocable_namespace`). */
  readonly revokedMayRetrieve: boolean;
  /** Longest TTL a new store may have: 14 days in a public inbox, 30 days elsewhere. */
  readonly maxTtlMs: number;
  /** Flags a subaccount needs to store here: Write, plus Delete for a public outbox. */
  readonly storeAccess: readonly SubaccountFlag[];
}

/** True for an integer within int16. */
export function isNamespace(value: unknown): value is Namespace {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= NAMESPACE_MIN &&
    value <= NAMESPACE_MAX
  );
}

/**
 * Checks a namespace from the wire: an integer from −32768 to 32767 (client_rpc_endpoints.cpp
 * `parse_field`, "value out of range"). Omission (meaning 0) is the caller's to handle, because
 * upstream treats an omitted namespace differently from an explicit 0 in places (network.md §12.5).
 */
export function parseNamespace(value: unknown, what = 'namespace'): Namespace {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ProtocolError(
      'invalid-input',
      `${what}: expected a 16-bit integer, got ${show(value)}`,
      {
        subject: what,
      },
    );
  }
  if (value < NAMESPACE_MIN || value > NAMESPACE_MAX) {
    throw new ProtocolError(
      'invalid-input',
      `${what}: expected ${NAMESPACE_MIN}..${NAMESPACE_MAX}, got ${value} (out of range)`,
      { subject: what },
    );
  }
  // Normalise −0 so it prints and compares as 0.
  return value === 0 ? 0 : value;
}

/** Like `parseNamespace`, but also accepts the string `"all"` (the `namespace_var` methods). */
export function parseNamespaceSelector(value: unknown, what = 'namespace'): NamespaceSelector {
  if (value === 'all') return 'all';
  if (typeof value === 'string') {
    throw new ProtocolError(
      'invalid-input',
      `${what}: expected an integer or "all", got a string`,
      {
        subject: what,
      },
    );
  }
  return parseNamespace(value, what);
}

/**
 * The namespace as it appears in a signed string: empty for 0, `all` for every namespace, else
 * the decimal value (`signature_value`, client_rpc_endpoints.h; the desktop's
 * `getVerificationDataForStoreRetrieve`).
 */
export function namespaceString(ns: NamespaceSelector): string {
  if (ns === 'all') return 'all';
  const n = parseNamespace(ns);
  return n === 0 ? '' : String(n);
}

/** Divisible by 10: anyone may deposit (`is_public_inbox_namespace`). */
export function isPublicInboxNamespace(ns: Namespace): boolean {
  return parseNamespace(ns) % 10 === 0;
}

/** Negative and of the form −(20n+1) (`is_public_outbox_namespace`). */
export function isPublicOutboxNamespace(ns: Namespace): boolean {
  const n = parseNamespace(ns);
  return n < 0 && -n % 20 === 1;
}

/** Negative with |ns| ending in "11" (`is_unrevocable_namespace`). */
export function isUnrevocableNamespace(ns: Namespace): boolean {
  const n = parseNamespace(ns);
  return n < 0 && -n % 100 === 11;
}

/** Public outbox or the legacy closed-group namespace −10 (`is_noauth_retrieve_namespace`). */
export function isNoAuthRetrieveNamespace(ns: Namespace): boolean {
  return ns === NAMESPACES.LEGACY_CLOSED_GROUP || isPublicOutboxNamespace(ns);
}

/** The class a namespace belongs to. */
export function namespaceClass(ns: Namespace): NamespaceClass {
  if (isPublicInboxNamespace(ns)) return 'public-inbox';
  if (isPublicOutboxNamespace(ns)) return 'public-outbox';
  if (isUnrevocableNamespace(ns)) return 'unrevocable';
  return 'private';
}

/** Everything the storage server lets a namespace do (request_handler.cpp store / retrieve). */
export function namespaceRules(ns: Namespace): NamespaceRules {
  const cls = namespaceClass(ns);
  const outbox = cls === 'public-outbox';
  return {
    class: cls,
    storeWithoutAuth: cls === 'public-inbox',
    retrieveWithoutAuth: isNoAuthRetrieveNamespace(ns),
    singleMessage: outbox,
    revokedMayRetrieve: cls === 'unrevocable',
    maxTtlMs: cls === 'public-inbox' ? TTL_MAX_PUBLIC_MS : TTL_MAX_PRIVATE_MS,
    storeAccess: outbox ? ['write', 'delete'] : ['write'],
  };
}

function show(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  return typeof value;
}
