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
  /** The raw WebAssembly exports (heap and C functions), for calls the wrapper does not bind. */
  interface LibsodiumRaw {
    HEAPU8: Uint8Array;
    _malloc(size: number): number;
    _free(pointer: number): void;
    /** (out, outlen, in, inlen low 32 bits, inlen high 32 bits, key, keylen, salt, personal). */
    _crypto_generichash_blake2b_salt_personal(
      out: number,
      outlen: number,
      input: number,
      inlenLow: number,
      inlenHigh: number,
      key: number,
      keylen: number,
      salt: number,
      personal: number,
    ): number;
  }
  interface LibsodiumSumo {
    ready: Promise<void>;
    libsodium: LibsodiumRaw;
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
