/**
 * The client commands (accounts, devices, messages, requests, contacts, profile, disappearing
 * messages), in the order `--help` lists them; `command-table.ts` includes them.
 */
import type { Command } from './command.ts';
import { accountCreate } from './commands/account-create.ts';
import { accountRestore } from './commands/account-restore.ts';
import { accountShow } from './commands/account-show.ts';
import { contacts } from './commands/contacts.ts';
import { conversations } from './commands/conversations.ts';
import { devicesApprove } from './commands/devices-approve.ts';
import { devicesLink } from './commands/devices-link.ts';
import { devicesList } from './commands/devices-list.ts';
import { devicesRemove } from './commands/devices-remove.ts';
import { devicesRequireApproval } from './commands/devices-require-approval.ts';
import { disappearingSet } from './commands/disappearing-set.ts';
import { profileSet } from './commands/profile-set.ts';
import { receive } from './commands/receive.ts';
import { requestsAccept, requestsBlock, requestsDecline } from './commands/requests-answer.ts';
import { requestsList } from './commands/requests-list.ts';
import { send } from './commands/send.ts';

export const CLIENT_COMMANDS: readonly Command[] = [
  accountCreate,
  accountRestore,
  accountShow,
  devicesList,
  devicesLink,
  devicesApprove,
  devicesRemove,
  devicesRequireApproval,
  send,
  receive,
  conversations,
  requestsList,
  requestsAccept,
  requestsDecline,
  requestsBlock,
  contacts,
  profileSet,
  disappearingSet,
];
