/**
 * The account summary the `keys` commands print: Session ID, both public keys and the recovery
 * password. The recovery password is a secret; these commands exist to show it to its owner,
 * so it is exported here on purpose (and nowhere else in the CLI).
 */
import { identityFromSeed, recoveryPasswordFromSeed, toHex } from '@session-ts/core';
import type { CommandResult } from '../command.ts';

/** Builds the `keys` result for a 16- or 32-byte seed. */
export function accountSummary(seed: Uint8Array): CommandResult {
  const id = identityFromSeed(seed);
  const json = {
    sessionId: id.sessionId,
    ed25519PublicKey: toHex(id.ed25519PublicKey),
    x25519PublicKey: toHex(id.x25519PublicKey),
    recoveryPassword: recoveryPasswordFromSeed(id.seed),
  };
  const text = [
    `Session ID:         ${json.sessionId}`,
    `Ed25519 public key: ${json.ed25519PublicKey}`,
    `X25519 public key:  ${json.x25519PublicKey}`,
    `Recovery password:  ${json.recoveryPassword}`,
    '',
    'Keep the recovery password secret: anyone who has it controls this account.',
  ].join('\n');
  return { json, text };
}
