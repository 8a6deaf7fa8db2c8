/**
 * The client commands (accounts, devices, messages, requests, contacts, profile, disappearing
 * messages), in the order `--help` lists them; `command-table.ts` includes them. As there, each
 * entry is a name, a usage line and a lazy `load` of the module that implements it.
 */
import type { Command } from './command.ts';

export const CLIENT_COMMANDS: readonly Command[] = [
  {
    path: ['account', 'create'],
    usage: 'account create [--profile NAME] [--network FILE] [--json]',
    summary: 'create a new account in a profile and publish its keys',
    load: () => import('./commands/account-create.ts').then((m) => m.accountCreate),
  },
  {
    path: ['account', 'restore'],
    usage: 'account restore "WORDS" [--profile NAME] [--network FILE] [--json]',
    summary: 'restore an account from its recovery password (links this profile as a device)',
    load: () => import('./commands/account-restore.ts').then((m) => m.accountRestore),
  },
  {
    path: ['account', 'show'],
    usage: 'account show [--profile NAME] [--json]',
    summary: "show the profile's Session ID",
    load: () => import('./commands/account-show.ts').then((m) => m.accountShow),
  },
  {
    path: ['devices', 'list'],
    usage: 'devices list [--profile NAME] [--network FILE] [--json]',
    summary: "list this account's devices and pending link requests",
    load: () => import('./commands/devices-list.ts').then((m) => m.devicesList),
  },
  {
    path: ['devices', 'link'],
    usage: 'devices link [--confirm|--cancel] [--profile NAME] [--network FILE] [--json]',
    summary: 'on a new device: show the link SAS, then --confirm (emoji match) or --cancel',
    load: () => import('./commands/devices-link.ts').then((m) => m.devicesLink),
  },
  {
    path: ['devices', 'approve'],
    usage: 'devices approve ID [--profile NAME] [--network FILE] [--json]',
    summary: 'approve a pending device link (after comparing the emoji)',
    load: () => import('./commands/devices-approve.ts').then((m) => m.devicesApprove),
  },
  {
    path: ['devices', 'remove'],
    usage: 'devices remove DEVICE_ID [--profile NAME] [--network FILE] [--json]',
    summary: 'remove another device from this account (rotates the account key)',
    load: () => import('./commands/devices-remove.ts').then((m) => m.devicesRemove),
  },
  {
    path: ['devices', 'require-approval'],
    usage: 'devices require-approval [on|off] [--profile NAME] [--json]',
    summary: 'require (on) or not (off) an approval before a new device is admitted',
    load: () =>
      import('./commands/devices-require-approval.ts').then((m) => m.devicesRequireApproval),
  },
  {
    path: ['send'],
    usage: 'send SESSION_ID TEXT [--profile NAME] [--network FILE] [--json]',
    summary: 'send a text message',
    load: () => import('./commands/send.ts').then((m) => m.send),
  },
  {
    path: ['receive'],
    usage: 'receive [--follow] [--interval MS] [--profile NAME] [--network FILE] [--json]',
    summary: 'fetch new messages and events (--follow: keep polling until Ctrl-C)',
    load: () => import('./commands/receive.ts').then((m) => m.receive),
  },
  {
    path: ['conversations'],
    usage: 'conversations [--profile NAME] [--json]',
    summary: 'list conversations (newest first)',
    load: () => import('./commands/conversations.ts').then((m) => m.conversations),
  },
  {
    path: ['requests', 'list'],
    usage: 'requests list [--profile NAME] [--json]',
    summary: 'list message requests',
    load: () => import('./commands/requests-list.ts').then((m) => m.requestsList),
  },
  {
    path: ['requests', 'accept'],
    usage: 'requests accept SESSION_ID [--profile NAME] [--network FILE] [--json]',
    summary: 'accept a message request',
    load: () => import('./commands/requests-answer.ts').then((m) => m.requestsAccept),
  },
  {
    path: ['requests', 'decline'],
    usage: 'requests decline SESSION_ID [--profile NAME] [--network FILE] [--json]',
    summary: 'decline a message request',
    load: () => import('./commands/requests-answer.ts').then((m) => m.requestsDecline),
  },
  {
    path: ['requests', 'block'],
    usage: 'requests block SESSION_ID [--profile NAME] [--network FILE] [--json]',
    summary: 'block a message request',
    load: () => import('./commands/requests-answer.ts').then((m) => m.requestsBlock),
  },
  {
    path: ['contacts'],
    usage: 'contacts [--profile NAME] [--json]',
    summary: 'list contacts',
    load: () => import('./commands/contacts.ts').then((m) => m.contacts),
  },
  {
    path: ['profile', 'set'],
    usage: 'profile set --name NAME [--profile NAME] [--json]',
    summary: 'set the display name sent with your messages',
    load: () => import('./commands/profile-set.ts').then((m) => m.profileSet),
  },
  {
    path: ['disappearing', 'set'],
    usage:
      'disappearing set SESSION_ID after-send|after-read DURATION|off [--profile NAME] [--json]',
    summary: 'set disappearing messages for a conversation (DURATION like 30s, 5m, 12h, 1d)',
    load: () => import('./commands/disappearing-set.ts').then((m) => m.disappearingSet),
  },
];
