/**
 * The shape of "what a write touched" in `delete_all`, `delete_before` and `expire_all` answers
 * (session-foundation/session-storage-server `oxenss/rpc/request_handler.cpp`,
 * `handle_action_one_ns` / `handle_action_all_ns`): for one namespace a hash list sorted by
 * hash; for `"all"` an object from namespace (decimal string) to its sorted hashes. The node
 * signs all the hashes sorted together (core's `…ResultToSign`).
 */
import type { NamespaceSelector } from '@session-ts/core';
import type { NamespacedHash } from '../storage/message-store.ts';

/** Byte order (hashes are ASCII), as `std::sort` on `std::string`. */
export function byHash(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The JSON value for `deleted` / `updated`. */
export function affectedJson(
  selector: NamespaceSelector,
  affected: readonly NamespacedHash[],
): string[] | Record<string, string[]> {
  const sorted = [...affected].sort((a, b) => byHash(a.hash, b.hash));
  if (selector !== 'all') return sorted.map((x) => x.hash);
  const byNs: Record<string, string[]> = {};
  for (const { namespace, hash } of sorted) (byNs[String(namespace)] ??= []).push(hash);
  return byNs;
}
