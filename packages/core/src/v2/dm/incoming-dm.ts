/**
 * Every incoming one-to-one message, V1 or V2, through one door (upstream
 * session-foundation/libsession-util:src/core/core.cpp `_handle_direct_messages`; protocol-v2.md
 * §7 "Receiving"): the first byte tells them apart, because V2 messages start with `00` and a V1
 * message is a protobuf `WebSocketMessage`, whose first byte is a field tag and never `00`.
 *
 * - `00 02 …` → V2 (`decryptV2Dm`): path `pfs` or `non-pfs`;
 * - `00 xx`, xx ≠ 02 → a version we do not know (upstream `unknown_version`);
 * - anything else → V1: the stored `WebSocketMessage`/`Envelope` wrapping (v1/envelope.ts), the
 *   sealed box (`decryptV1`), then the V1 content padding (v1/padding.ts); path `v1`.
 *
 * Every result says which path the message took and its `security` level, with
 * `downgradeSuspected` when a sender known to have V2 keys used a weaker path
 * (v2/policy/downgrade-policy.ts).
 */
import { assertBytes } from '../../encoding/bytes.ts';
import { isProtocolError } from '../../errors.ts';
import type { Identity } from '../../identity/identity.ts';
import type { SessionId } from '../../identity/account-id.ts';
import { decryptV1, type DecryptV1FailureReason } from '../../v1/decrypt.ts';
import { unwrapV1Envelope } from '../../v1/envelope.ts';
import { unpadContent } from '../../v1/padding.ts';
import type { HybridKeyPair } from '../keys/hybrid-keys.ts';
import type { RetainedAccountKey } from '../keys/account-key-ring.ts';
import {
  incomingDmSecurity,
  type IncomingDmPath,
  type IncomingDmSecurity,
} from '../policy/downgrade-policy.ts';
import { decryptV2Dm } from './dm-decrypt.ts';
import { V2_DM_MARKER, V2_DM_VERSION } from './dm-format.ts';

/** Why an incoming message was not accepted. */
export type IncomingDmFailureReason =
  | 'too-short'
  /** `00` followed by a version byte other than `02`. */
  | 'unknown-version'
  /** No key we hold opens it. */
  | 'no-key'
  | 'bad-signature'
  | 'bad-format';

/** An accepted incoming message. */
export interface DecryptedIncomingDm {
  readonly ok: true;
  readonly path: IncomingDmPath;
  readonly security: IncomingDmSecurity;
  /** A sender known to have V2 keys used V1 or non-PFS although our keys are published. */
  readonly downgradeSuspected: boolean;
  readonly senderSessionId: SessionId;
  readonly senderEd25519PublicKey: Uint8Array;
  /** The protobuf `Content` bytes (V1 padding already removed). */
  readonly content: Uint8Array;
  /** The Session Pro signature (V2 `~P`, V1 envelope `proSig`), extracted but not checked. */
  readonly proSignature?: Uint8Array;
  /** V1 only: the envelope's claimed send time in ms (unauthenticated; V2 has none). */
  readonly envelopeTimestamp?: number;
}

/** The outcome of `decryptIncomingDm`. */
export type IncomingDmResult =
  | DecryptedIncomingDm
  | {
      readonly ok: false;
      readonly reason: IncomingDmFailureReason;
      /** Which decoder refused it. */
      readonly format: 'v1' | 'v2';
    };

/** Arguments of `decryptIncomingDm`. */
export interface DecryptIncomingDmArgs {
  readonly recipient: Identity;
  /** The retained account keys (current plus rotated within 16 days). */
  readonly accountKeys: readonly (HybridKeyPair | RetainedAccountKey)[];
  /** The message data as stored on the swarm (namespace 0). */
  readonly data: Uint8Array;
  /** Whether valid V2 keys have been seen for a sender (for `downgradeSuspected`). */
  readonly senderHasV2Keys?: (sender: SessionId) => boolean;
  /** Whether our own account keys are published (default true). */
  readonly ownKeysPublished?: boolean;
}

const V1_REASONS: Record<DecryptV1FailureReason, IncomingDmFailureReason> = {
  'too-short': 'too-short',
  'not-for-us': 'no-key',
  'bad-sender-key': 'bad-format',
  'bad-signature': 'bad-signature',
};

/** Decrypts any incoming one-to-one message (module comment). */
export function decryptIncomingDm(args: DecryptIncomingDmArgs): IncomingDmResult {
  const { data } = args;
  assertBytes('message', data);
  if (data.length === 0) return { ok: false, reason: 'too-short', format: 'v1' };
  const context = (sender: SessionId): { senderHasV2Keys: boolean; ownKeysPublished: boolean } => ({
    senderHasV2Keys: args.senderHasV2Keys?.(sender) ?? false,
    ownKeysPublished: args.ownKeysPublished ?? true,
  });

  if (data[0] === V2_DM_MARKER) {
    if (data.length >= 2 && data[1] !== V2_DM_VERSION) {
      return { ok: false, reason: 'unknown-version', format: 'v2' };
    }
    const result = decryptV2Dm({
      recipient: args.recipient,
      accountKeys: args.accountKeys,
      data,
    });
    if (!result.ok) {
      return {
        ok: false,
        reason: result.reason === 'not-v2' ? 'unknown-version' : result.reason,
        format: 'v2',
      };
    }
    return {
      ok: true,
      path: result.path,
      ...incomingDmSecurity(result.path, context(result.senderSessionId)),
      senderSessionId: result.senderSessionId,
      senderEd25519PublicKey: result.senderEd25519PublicKey,
      content: result.content,
      ...(result.proSignature === undefined ? {} : { proSignature: result.proSignature }),
    };
  }

  let envelope;
  try {
    envelope = unwrapV1Envelope(data);
  } catch (error) {
    if (isProtocolError(error)) return { ok: false, reason: 'bad-format', format: 'v1' };
    throw error;
  }
  const result = decryptV1(args.recipient, envelope.content);
  if (!result.ok) return { ok: false, reason: V1_REASONS[result.reason], format: 'v1' };
  let content;
  try {
    content = unpadContent(result.message);
  } catch (error) {
    if (isProtocolError(error)) return { ok: false, reason: 'bad-format', format: 'v1' };
    throw error;
  }
  return {
    ok: true,
    path: 'v1',
    ...incomingDmSecurity('v1', context(result.senderSessionId)),
    senderSessionId: result.senderSessionId,
    senderEd25519PublicKey: result.senderEd25519PublicKey,
    content,
    ...(envelope.proSig === undefined ? {} : { proSignature: envelope.proSig }),
    envelopeTimestamp: envelope.timestamp,
  };
}
