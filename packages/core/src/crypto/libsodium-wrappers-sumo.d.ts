/**
 * The part of libsodium-wrappers-sumo (libsodium 1.0.22 compiled to WebAssembly) that
 * `primitives.ts` uses: ML-KEM-768 with seeded key generation and deterministic encapsulation,
 * and the Ed25519 scalar multiplication that sodium-native does not bind. Declared here because
 * the published typings predate these functions.
 */
declare module 'libsodium-wrappers-sumo' {
  interface KemKeyPair {
    publicKey: Uint8Array;
    privateKey: Uint8Array;
  }
  interface KemEncapsulation {
    ciphertext: Uint8Array;
    sharedSecret: Uint8Array;
  }
  interface LibsodiumSumo {
    ready: Promise<void>;
    crypto_kem_mlkem768_seed_keypair(seed: Uint8Array): KemKeyPair;
    crypto_kem_mlkem768_enc_deterministic(
      publicKey: Uint8Array,
      coins: Uint8Array,
    ): KemEncapsulation;
    crypto_kem_mlkem768_dec(ciphertext: Uint8Array, privateKey: Uint8Array): Uint8Array;
    crypto_core_ed25519_scalar_mul(x: Uint8Array, y: Uint8Array): Uint8Array;
  }
  const sodium: LibsodiumSumo;
  export default sodium;
}
