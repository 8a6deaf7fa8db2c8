/**
 * The key schedule of V2 one-to-one messages (protocol-v2.md §7 steps 2–5 and §8; upstream
 * session-foundation/libsession-util:src/session_encrypt.cpp `v2_kiss`,
 * `v2_derive_xwing_key_nonce`, `encrypt_for_recipient_v2_nopfs`):
 *
 *   KISS     kiss = BLAKE2b-2(key = X25519(e, S), pers = "Session-Msg-KISS", E ‖ S);  ki = M[0..2] ⊕ kiss
 *   PFS      ss = SHA3-256(ssM ‖ ssX ‖ E ‖ X ‖ "\.//^\");     k ‖ n = SHAKE256("SessionV2MessageSS" ‖ ss)
 *   non-PFS  ss = SHA3-256(X25519(e, R) ‖ R ‖ E ‖ "SessionV2NonPFS");  k ‖ n = SHAKE256("SessionV2NonPFSSS" ‖ ss)
 *
 * S = R = the recipient's long-term X25519 key (its Session ID without `05`), X and M its current
 * account keys, ssM the ML-KEM-768 shared secret, ssX = X25519(e, X). The PFS combiner is
 * X-Wing's (draft-connolly-cfrg-xwing-kem), whose label is the 6 ASCII bytes `\.//^\`.
 * SHAKE256 output is squeezed in order: 32 bytes of key, then 24 of nonce.
 *
 * Internal to v2/dm/.
 */
import { concatBytes, utf8 } from '../../encoding/bytes.ts';
import { blake2bSaltPersonal, sha3_256, shake256 } from '../../crypto/primitives.ts';

/** BLAKE2b personalisation of the key indicator hash (`V2_KISS_PERS`). */
const KISS_PERSONALISATION = utf8('Session-Msg-KISS');
/** X-Wing's combiner label, `5c 2e 2f 2f 5e 5c` (`V2_XWING_LABEL`). */
export const XWING_LABEL = Uint8Array.of(0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c);
/** SHAKE256 domain of the PFS key and nonce (`V2_SS_DOMAIN`). */
const PFS_DOMAIN = utf8('SessionV2MessageSS');
/** SHA3-256 label of the non-PFS combiner (`V2_NONPFS_KDF_LABEL`). */
const NON_PFS_LABEL = utf8('SessionV2NonPFS');
/** SHAKE256 domain of the non-PFS key and nonce (`V2_NONPFS_SS_DOMAIN`). */
const NON_PFS_DOMAIN = utf8('SessionV2NonPFSSS');

/** An AEAD key and nonce. */
export interface V2DmKeyNonce {
  readonly key: Uint8Array;
  readonly nonce: Uint8Array;
}

/** The 2-byte KISS from the X25519 shared secret of `e`/`E` with the long-term key `S`. */
export function keyIndicatorSecret(
  sharedSecret: Uint8Array,
  ephemeralPublicKey: Uint8Array,
  longTermPublicKey: Uint8Array,
): Uint8Array {
  return blake2bSaltPersonal(2, concatBytes(ephemeralPublicKey, longTermPublicKey), {
    key: sharedSecret,
    personalization: KISS_PERSONALISATION,
  });
}

/** XORs two 2-byte values (the key indicator and the KISS). */
export function xor2(a: Uint8Array, b: Uint8Array): Uint8Array {
  return Uint8Array.of((a[0] ?? 0) ^ (b[0] ?? 0), (a[1] ?? 0) ^ (b[1] ?? 0));
}

function squeezeKeyNonce(domain: Uint8Array, ss: Uint8Array): V2DmKeyNonce {
  const out = shake256(concatBytes(domain, ss), 56);
  return { key: out.slice(0, 32), nonce: out.slice(32, 56) };
}

/** The X-Wing combined secret of the PFS path (exported for the vectors). */
export function xwingSharedSecret(
  kemSharedSecret: Uint8Array,
  x25519SharedSecret: Uint8Array,
  ephemeralPublicKey: Uint8Array,
  accountX25519PublicKey: Uint8Array,
): Uint8Array {
  return sha3_256(
    concatBytes(
      kemSharedSecret,
      x25519SharedSecret,
      ephemeralPublicKey,
      accountX25519PublicKey,
      XWING_LABEL,
    ),
  );
}

/** The PFS path's AEAD key and nonce from the X-Wing secret. */
export function pfsKeyNonce(xwingSecret: Uint8Array): V2DmKeyNonce {
  return squeezeKeyNonce(PFS_DOMAIN, xwingSecret);
}

/** The non-PFS combined secret (exported for the vectors). */
export function nonPfsSharedSecret(
  x25519SharedSecret: Uint8Array,
  recipientPublicKey: Uint8Array,
  ephemeralPublicKey: Uint8Array,
): Uint8Array {
  return sha3_256(
    concatBytes(x25519SharedSecret, recipientPublicKey, ephemeralPublicKey, NON_PFS_LABEL),
  );
}

/** The non-PFS path's AEAD key and nonce. */
export function nonPfsKeyNonce(secret: Uint8Array): V2DmKeyNonce {
  return squeezeKeyNonce(NON_PFS_DOMAIN, secret);
}
