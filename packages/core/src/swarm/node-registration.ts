/**
 * What a service node and the seed registry must agree on byte for byte: the string a node
 * signs to register (or refresh) its entry, and the header that carries the seed's signature
 * over the node lists it serves.
 *
 * Upstream has no such message: a node's entry is its on-chain staking registration and its
 * signed uptime proofs (oxen-io/oxen-core `src/cryptonote_core/uptime_proof.cpp`), and the list
 * comes from oxend's `get_service_nodes` (network.md §1.7, §3). Our seed registry stands in for
 * the chain (docs/service-node.md, "Seed registry"), so the entry is signed by the node's own
 * Ed25519 key over
 *
 *     "register_service_node|" + ed25519_hex + "|" + ip + "|" + port + "|" + maj.min.patch + "|" + timestamp_ms
 *
 * The separators matter: plain concatenation (upstream's habit for storage-RPC strings, §1.2)
 * would let "1.2.3.41" + "234" read as "1.2.3.4" + "1234". The timestamp makes every signed
 * entry single-use: the seed accepts it only within a window of its own clock and only if it is
 * newer than the last one it accepted from that node, so a captured registration cannot be
 * replayed to resurrect a node or roll back its address.
 */
import { ProtocolError } from '../errors.ts';
import { utf8 } from '../encoding/bytes.ts';

/** A service node's registration fields (what the seed lists for it). */
export interface NodeRegistrationFields {
  /** The node's Ed25519 public key, 64 lowercase hex characters. */
  readonly ed25519: string;
  /** The IPv4 address clients and peers reach it on (never 0.0.0.0, network.md §12.4). */
  readonly ip: string;
  /** The port serving `/storage_rpc/v1`. */
  readonly port: number;
  /** The storage server version it runs, `[major, minor, patch]`. */
  readonly version: readonly [number, number, number];
  /** When it signed, in ms since the epoch. */
  readonly timestamp: number;
}

/** The prefix of a registration's signed string (domain separation from every other message). */
export const NODE_REGISTRATION_PREFIX = 'register_service_node';

/**
 * The response header carrying the seed's Ed25519 signature (standard base64) over the exact
 * response body bytes, so a client that pins the seed's key can check the list it got.
 */
export const SEED_SIGNATURE_HEADER = 'x-session-seed-signature';

/** The response header naming the seed's Ed25519 public key (hex) that made the signature. */
export const SEED_PUBKEY_HEADER = 'x-session-seed-pubkey';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** True when `text` is a dotted-quad IPv4 address a node may advertise (not 0.0.0.0). */
export function isAdvertisableIpv4(text: unknown): text is string {
  return typeof text === 'string' && IPV4.test(text) && text !== '0.0.0.0';
}

/**
 * Checks registration fields and returns them unchanged: 64-hex key, advertisable IPv4, port
 * 1–65535, three version numbers 0–65535, a non-negative integer timestamp. Throws an
 * `invalid-input` `ProtocolError` naming the field otherwise.
 */
export function checkNodeRegistration(fields: NodeRegistrationFields): NodeRegistrationFields {
  const { ed25519, ip, port, version, timestamp } = fields;
  if (typeof ed25519 !== 'string' || !/^[0-9a-f]{64}$/.test(ed25519)) {
    throw invalid('pubkey_ed25519', 'expected 64 lowercase hex characters');
  }
  if (!isAdvertisableIpv4(ip)) {
    throw invalid('public_ip', 'expected a dotted IPv4 address other than 0.0.0.0');
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalid('storage_port', `expected an integer from 1 to 65535, got ${String(port)}`);
  }
  if (
    !Array.isArray(version) ||
    version.length !== 3 ||
    !version.every((v) => Number.isInteger(v) && v >= 0 && v <= 65535)
  ) {
    throw invalid('storage_server_version', 'expected [major, minor, patch], each 0 to 65535');
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw invalid('timestamp', `expected milliseconds since the epoch, got ${String(timestamp)}`);
  }
  return fields;
}

/** The bytes a node signs to register or refresh its entry (see the module comment). */
export function nodeRegistrationToSign(fields: NodeRegistrationFields): Uint8Array {
  const { ed25519, ip, port, version, timestamp } = checkNodeRegistration(fields);
  return utf8(
    [
      NODE_REGISTRATION_PREFIX,
      ed25519,
      ip,
      String(port),
      version.join('.'),
      String(timestamp),
    ].join('|'),
  );
}

function invalid(field: string, expected: string): ProtocolError {
  return new ProtocolError('invalid-input', `registration ${field}: ${expected}`, {
    subject: field,
  });
}
