/**
 * Prints a client's events as they happen (`receive`, `devices list`, `devices link`): with
 * `--json` one JSON line per event (`{"event": NAME, ...}`), otherwise one human line. Message
 * bodies are printed (that is the point of `receive`); keys never are.
 */
import type { Client, ClientEventName, ClientEvents } from '@session-ts/sdk';
import type { CommandContext } from './command.ts';
import { shortId } from './client-session.ts';

type Printed = { readonly [K in ClientEventName]: (e: ClientEvents[K]) => Record<string, unknown> };

/** The JSON form of each event (bytes and state snapshots left out). */
const JSON_OF: Printed = {
  message: ({ message: m, metadata }) => ({
    id: m.id,
    conversationId: m.conversationId,
    direction: m.direction,
    sender: m.sender,
    body: m.body,
    sentAt: m.sentAt,
    path: metadata.path,
    downgradeSuspected: metadata.downgradeSuspected,
    hash: metadata.hash,
    ...(m.expiresAt === undefined ? {} : { expiresAt: m.expiresAt }),
  }),
  request: ({ conversationId, message }) => ({ conversationId, messageId: message.id }),
  'device-linked': (e) => ({ ...e }),
  'device-removed': (e) => ({ ...e }),
  'device-link-requested': (e) => ({
    requestId: e.requestId,
    deviceId: e.deviceId,
    sas: e.sas.standard,
    autoApproved: e.autoApproved,
  }),
  'sync-updated': (e) => ({ ...e }),
  'security-notice': (e) => ({ ...e }),
  receipt: (e) => ({ ...e, messageIds: [...e.messageIds] }),
  typing: (e) => ({ ...e }),
  'message-deleted': (e) => ({ ...e }),
  'membership-changed': (e) => ({ membership: e.membership }),
};

function human<K extends ClientEventName>(name: K, j: Record<string, unknown>): string {
  const s = (k: string): string => {
    const v = j[k];
    return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
  };
  switch (name) {
    case 'message':
      return s('direction') === 'outgoing'
        ? `[you → ${shortId(s('conversationId'))}] ${s('body')}   (${s('path')}, from another device)`
        : `[${shortId(s('sender'))}] ${s('body')}   (${s('path')})`;
    case 'request':
      return `message request from ${s('conversationId')} (session-cli requests accept ${s('conversationId')})`;
    case 'device-link-requested':
      return j['autoApproved'] === true
        ? `device ${s('deviceId')} linked (approval not required); its emoji: ${s('sas')}`
        : `device ${s('deviceId')} asks to link; compare its emoji: ${s('sas')}  (devices approve ${s('deviceId')})`;
    case 'device-linked':
      return j['self'] === true ? 'this device is now linked' : `device ${s('deviceId')} linked`;
    case 'device-removed':
      return `device ${s('deviceId')} ${s('reason')}${j['self'] === true ? ' (this device)' : ''}`;
    case 'security-notice':
      return `security notice: ${s('kind')} (${shortId(s('accountId'))})`;
    case 'message-deleted':
      return `message ${s('messageId')} deleted (${s('reason')})`;
    case 'membership-changed':
    case 'receipt':
    case 'sync-updated':
    case 'typing':
      return `${name}: ${JSON.stringify(j)}`;
  }
}

/** Events a person sees by default (membership-changed and typing are noise on a terminal). */
const QUIET: ReadonlySet<ClientEventName> = new Set([
  'membership-changed',
  'typing',
  'sync-updated',
  'receipt',
]);

/** Subscribes to every event; returns the unsubscribe function. */
export function printEvents(client: Client, ctx: CommandContext): () => void {
  const offs = (Object.keys(JSON_OF) as ClientEventName[]).map((name) =>
    client.on(name, (e: ClientEvents[typeof name]) => {
      const j = (JSON_OF[name] as (e: ClientEvents[typeof name]) => Record<string, unknown>)(e);
      if (ctx.json) ctx.print(JSON.stringify({ event: name, ...j }) + '\n');
      else if (!QUIET.has(name)) ctx.print(human(name, j) + '\n');
    }),
  );
  return () => offs.forEach((off) => off());
}
