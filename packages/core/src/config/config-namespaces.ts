/**
 * The config types, their storage namespaces and their encryption domains (protocol-v1.md §4).
 *
 * Upstream: session-foundation/libsession-util `include/session/config/namespaces.h` (the
 * numbers) and each config class's `encryption_domain()` (`include/session/config/user_profile.hpp`
 * "UserProfile", `contacts.hpp` "Contacts", `convo_info_volatile.hpp` "ConvoInfoVolatile",
 * `user_groups.hpp` "UserGroups", `groups/info.hpp` "groups::Info", `groups/members.hpp`
 * "groups::Members", `groups/keys.hpp` "groups::Keys").
 *
 * `keyBase` says which 32 bytes feed `encryptConfig`: the account's Ed25519 seed for user
 * configs, the current group key for group Info/Members. The group keys message (namespace 12)
 * has a domain upstream but is never config-encrypted: its values are encrypted one by one and
 * the dict is signed (§6.2), hence `keyBase: 'none'`.
 */

/** Every config type with its namespace, domain and key base. */
export const CONFIG_NAMESPACES = {
  userProfile: { namespace: 2, domain: 'UserProfile', keyBase: 'account-seed' },
  contacts: { namespace: 3, domain: 'Contacts', keyBase: 'account-seed' },
  convoInfoVolatile: { namespace: 4, domain: 'ConvoInfoVolatile', keyBase: 'account-seed' },
  userGroups: { namespace: 5, domain: 'UserGroups', keyBase: 'account-seed' },
  groupKeys: { namespace: 12, domain: 'groups::Keys', keyBase: 'none' },
  groupInfo: { namespace: 13, domain: 'groups::Info', keyBase: 'group-key' },
  groupMembers: { namespace: 14, domain: 'groups::Members', keyBase: 'group-key' },
} as const;

/** A config type name (`userProfile`, `groupInfo`, …). */
export type ConfigKind = keyof typeof CONFIG_NAMESPACES;

/** The table row of one config type. */
export type ConfigNamespaceInfo = (typeof CONFIG_NAMESPACES)[ConfigKind];

/** A storage namespace that holds a config type. */
export type ConfigNamespace = ConfigNamespaceInfo['namespace'];

/** An encryption domain string of a config type. */
export type ConfigDomain = ConfigNamespaceInfo['domain'];

/** Config types whose messages are config-encrypted (all but the group keys message). */
export type EncryptedConfigKind = {
  [K in ConfigKind]: (typeof CONFIG_NAMESPACES)[K]['keyBase'] extends 'none' ? never : K;
}[ConfigKind];

/** The config type stored in `namespace`, or `undefined` if it holds no config. */
export function configKindForNamespace(namespace: number): ConfigKind | undefined {
  for (const [kind, info] of Object.entries(CONFIG_NAMESPACES)) {
    if (info.namespace === namespace) return kind as ConfigKind;
  }
  return undefined;
}

/** The encryption domain of a config type. */
export function configDomain(kind: ConfigKind): ConfigDomain {
  return CONFIG_NAMESPACES[kind].domain;
}
