/**
 * The BLAKE2b personalisations of the device group (protocol-v2.md §9), link requests (§11.1)
 * and the SAS (§11.2), and the one hash helper they share. Every label is exactly 16 ASCII
 * bytes, libsodium's personalisation size; the strings are upstream's `_b2b_pers` constants in
 * session-foundation/libsession-util:src/core/devices.cpp and src/core/link_sas.cpp.
 */
import { blake2bSaltPersonal } from '../../crypto/primitives.ts';
import { concatBytes, utf8 } from '../../encoding/bytes.ts';

/** Payload nonce `pn` (§9.2 step 2). */
export const PERS_PAYLOAD_NONCE = 'SessionDevDNonce';
/** Per-recipient wrap nonce `kn_i` (§9.2 step 7). */
export const PERS_KEY_NONCE = 'SessionDevKNonce';
/** Per-recipient wrap key `k_i` (§9.2 step 7). */
export const PERS_KEY_KEY = 'SessionDevKeyKey';
/** Slot tag (§9.2 step 7; "SessionDevKeyInd" in earlier revisions, [X]). */
export const PERS_SLOT_TAG = 'SessionDevKeyIdx';
/** Kicked entries (§9.2 step 8). */
export const PERS_KICKED = 'SessionDevKicked';
/** Group ID encryption key (§9.2 step 9). */
export const PERS_GROUP_ID_KEY = 'SessionDvGrpID_K';
/** Group ID encryption nonce (§9.2 step 9). */
export const PERS_GROUP_ID_NONCE = 'SessionDvGrpID_N';
/** Group SAS seed (§9.2 step 9). */
export const PERS_GROUP_SAS = 'SessionDvGrp_SAS';
/** Link request key and nonce (§11.1 step 3). */
export const PERS_LINK = 'SessionDvGrpLink';
/** Link request key indicator mask (§11.1 step 3). */
export const PERS_LINK_KISS = 'SessionDvGrpKISS';
/** Link SAS salt (§11.2 step 1). */
export const PERS_LINK_EMOJI = 'SessionLinkEmoji';

const encoded = new Map<string, Uint8Array>();

function personalisation(label: string): Uint8Array {
  let bytes = encoded.get(label);
  if (bytes === undefined) {
    bytes = utf8(label);
    if (bytes.length !== 16) throw new RangeError(`personalisation ${label}: not 16 bytes`);
    encoded.set(label, bytes);
  }
  return bytes;
}

/**
 * `BLAKE2b-length(key?, pers=label, parts…)`: libsodium's salt/personal BLAKE2b with a zero
 * salt, over the concatenation of `parts` (protocol-v2.md §1).
 */
export function personalHash(
  length: number,
  label: string,
  parts: readonly Uint8Array[],
  key?: Uint8Array,
): Uint8Array {
  const data = parts.length === 1 && parts[0] !== undefined ? parts[0] : concatBytes(...parts);
  const personalization = personalisation(label);
  return blake2bSaltPersonal(
    length,
    data,
    key === undefined ? { personalization } : { key, personalization },
  );
}
