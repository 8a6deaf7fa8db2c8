/**
 * The group SAS: emoji that show a device group's identity, so a user can check that two
 * devices are in the same group (protocol-v2.md §9.2 step 9; upstream
 * session-foundation/libsession-util:src/core/devices.cpp `GroupId::sas`):
 * `sasFromSeed(BLAKE2b-16(pers="SessionDvGrp_SAS", group_id))`.
 *
 * Not a security check: anyone holding the account seed can copy a group ID. Upstream suggests
 * showing the first 4 beside the group's creation time (`GroupId::created`); all 21 are for an
 * extended view.
 */
import { assertBytes } from '../../encoding/bytes.ts';
import { PERS_GROUP_SAS, personalHash } from '../device-group/domains.ts';
import { SAS_SEED_BYTES, sasFromSeed, type EmojiSas } from './emoji-sas.ts';

/** Emoji upstream suggests for the basic group display (devices.hpp `GroupId::sas`). */
export const GROUP_SAS_BASIC_COUNT = 4;

/** The group SAS of an 8-byte group ID. */
export function groupSas(groupId: Uint8Array): EmojiSas {
  assertBytes('device group ID', groupId, 8);
  return sasFromSeed(personalHash(SAS_SEED_BYTES, PERS_GROUP_SAS, [groupId]));
}
