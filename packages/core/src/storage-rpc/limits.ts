/**
 * The storage server's numeric limits: TTL bounds, message size, timestamp windows, retrieve
 * size, batch size and the revocation cap (network.md §1.3, §9). Service nodes enforce them and
 * clients stay inside them, so both read them from here.
 *
 * Upstream: session-foundation/session-storage-server v2.8.x —
 * `oxenss/rpc/request_handler.h`, `oxenss/common/ttl.h`, `oxenss/rpc/client_rpc_endpoints.h`,
 * `oxenss/rpc/client_rpc_endpoints.cpp`, `oxenss/rpc/request_handler.cpp`,
 * `oxenss/common/subaccount_token.h`, `oxenss/server/https.h`, `oxenss/server/mqbase.cpp`.
 * All times are epoch milliseconds unless a name says otherwise.
 */
import { ProtocolError } from '../errors.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Shortest TTL a store may ask for (`TTL_MINIMUM = 10s`, request_handler.h / common/ttl.h). */
export const TTL_MIN_MS = 10 * SECOND;

/** Longest TTL for a store into a public-inbox namespace (`TTL_MAXIMUM = 14 * 24h`). */
export const TTL_MAX_PUBLIC_MS = 14 * DAY;

/**
 * Longest TTL for a store into any other namespace, and the cap `expire` applies to a new
 * expiry (`TTL_MAXIMUM_PRIVATE = 30 * 24h`, request_handler.h; `std::min(now + …, exp)` in
 * request_handler.cpp `expire_msgs`).
 */
export const TTL_MAX_PRIVATE_MS = 30 * DAY;

/** Largest decoded `data` of a store (`store::MAX_MESSAGE_BODY = 76'800`, client_rpc_endpoints.h). */
export const MAX_MESSAGE_BYTES = 76_800;

/**
 * Largest `data` of a JSON store in base64 characters: `MAX_MESSAGE_BODY / 3 * 4`, which has no
 * padding because 76,800 is divisible by 3 (client_rpc_endpoints.cpp `load(store&)`).
 */
export const MAX_MESSAGE_BASE64_CHARS = (MAX_MESSAGE_BYTES / 3) * 4;

/**
 * How far into the future a store's `timestamp` may be, and how far into the past its expiry
 * may be (`STORE_TOLERANCE = 10s`, request_handler.h); otherwise 406.
 */
export const STORE_TOLERANCE_MS = 10 * SECOND;

/** Signed timestamps must be within this of the node's clock (`SIGNATURE_TOLERANCE = 60s`). */
export const SIGNATURE_TOLERANCE_MS = 60 * SECOND;

/**
 * The window for a request another swarm member forwarded, to allow for the hop
 * (`SIGNATURE_TOLERANCE_FORWARDED = 70s`, request_handler.h; used by `delete_all`, `expire_all`).
 */
export const SIGNATURE_TOLERANCE_FORWARDED_MS = 70 * SECOND;

/** `expire` refuses an expiry more than a minute in the past (`exp < now - 1min`, request_handler.cpp). */
export const EXPIRE_PAST_TOLERANCE_MS = 1 * MINUTE;

/** `delete_before` refuses a `before` more than a minute ahead (`before > now + 1min`, request_handler.cpp). */
export const DELETE_BEFORE_FUTURE_TOLERANCE_MS = 1 * MINUTE;

/**
 * Timestamps below this are refused as "must be in milliseconds": values under 1,000,000 s since
 * the epoch were almost certainly sent in seconds (client_rpc_endpoints.cpp `parse_field`).
 */
export const MIN_TIMESTAMP_MS = 1_000_000 * SECOND;

/** Largest retrieve response in bytes (`RETRIEVE_MAX_SIZE = 7'800'000`, request_handler.h). */
export const RETRIEVE_MAX_SIZE = 7_800_000;

/**
 * `max_size` used when a retrieve gives neither `max_count` nor `max_size`: −5, i.e. a fifth of
 * `RETRIEVE_MAX_SIZE` (request_handler.cpp `process_client_req(retrieve)`).
 */
export const RETRIEVE_DEFAULT_MAX_SIZE = -5;

/** Fewest subrequests in a `batch` / `sequence` (an empty list is refused, client_rpc_endpoints.cpp). */
export const BATCH_REQUEST_MIN = 1;

/** Most subrequests in a `batch` / `sequence` (`BATCH_REQUEST_MAX = 20`, request_handler.h). */
export const BATCH_REQUEST_MAX = 20;

/**
 * Revoked subaccount tokens kept per account (the oldest are pruned), and the most one
 * `revoke_subaccount` request may carry (`MAX_SUBACCOUNT_TOKENS = 50`, subaccount_token.h;
 * checked in client_rpc_endpoints.cpp `load(revoke_subaccount&)`).
 */
export const MAX_SUBACCOUNT_TOKENS = 50;

/** Largest HTTPS request body; larger gets 413 (`MAX_REQUEST_BODY_SIZE = 10 * 1024 * 1024`, server/https.h). */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

/** A `monitor.messages` signature timestamp (in seconds) may be at most this old (mqbase.cpp, `14 * 24h`). */
export const MONITOR_MAX_AGE_MS = 14 * DAY;

/** …and at most this far in the future (mqbase.cpp, `now + 24h`). */
export const MONITOR_MAX_FUTURE_MS = 24 * HOUR;

/**
 * True when a signed timestamp is close enough to `now`: ±60 s, or ±70 s for a request a swarm
 * peer forwarded (request_handler.cpp, e.g. `delete_all`).
 */
export function isWithinSignatureWindow(
  timestamp: number,
  now: number,
  forwarded = false,
): boolean {
  const tolerance = forwarded ? SIGNATURE_TOLERANCE_FORWARDED_MS : SIGNATURE_TOLERANCE_MS;
  return timestamp >= now - tolerance && timestamp <= now + tolerance;
}

/**
 * The byte budget a retrieve actually gets, as request_handler.cpp computes it: 0 means "not
 * given"; with neither limit the size is −5; a negative size −N means `RETRIEVE_MAX_SIZE / N`
 * (integer division); a missing or too-large positive size means `RETRIEVE_MAX_SIZE`.
 * `maxCount` only matters here by being present.
 */
export function effectiveRetrieveMaxSize(maxCount?: number, maxSize?: number): number {
  for (const [what, value] of [
    ['max_count', maxCount],
    ['max_size', maxSize],
  ] as const) {
    if (value !== undefined && !Number.isSafeInteger(value)) {
      throw new ProtocolError('invalid-input', `${what}: expected an integer, got ${value}`, {
        subject: what,
      });
    }
  }
  const count = maxCount === 0 ? undefined : maxCount;
  let size = maxSize === 0 ? undefined : maxSize;
  if (count === undefined && size === undefined) size = RETRIEVE_DEFAULT_MAX_SIZE;
  if (size !== undefined && size < 0) return Math.trunc(RETRIEVE_MAX_SIZE / -size);
  if (size === undefined || size > RETRIEVE_MAX_SIZE) return RETRIEVE_MAX_SIZE;
  return size;
}
