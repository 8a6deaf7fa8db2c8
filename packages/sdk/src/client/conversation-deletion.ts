/**
 * Deleting a conversation (issue 6, "Local store": deleting a conversation deletes its keys and
 * data; docs/sdk.md "Deleting"). One step used twice: by `Client.deleteConversation` on the
 * device where the user asked, and by config sync on the account's other devices when the
 * removal reaches them (config-wiring.ts).
 *
 * What goes: the conversation with its messages and queued sends; the contact's cached account
 * keys and V2 record, unless the contact is blocked (a block outlives the conversation, as a
 * user expects); and the copies in our own swarm — the incoming messages and our sync copies of
 * sent ones — because a device of ours that polls later would otherwise fetch them again and
 * bring the conversation back. The swarm step is best effort: what it misses expires with its
 * TTL, and a failure is logged, never thrown (the local deletion has already happened).
 *
 * Not retroactive for other parties: the contact keeps their copy, and their swarm keeps what
 * we sent them (that is `unsend`).
 */
import { requireIdentity, type ClientContext } from './context.ts';
import { deleteMessages } from './swarm-requests.ts';

/** The storage server's cap on hashes per delete request is generous; we stay well under it. */
const HASHES_PER_DELETE = 100;

/** What a deletion removed. */
export interface ConversationDeletion {
  /** Whether there was a conversation, a contact or cached keys to delete. */
  readonly existed: boolean;
  /** Messages the deletion removed from our swarm (asked for; a missing one counts too). */
  readonly swarmDeleted: number;
}

/** Deletes conversation `id` with its keys and data, here and in our swarm. */
export async function forgetConversation(
  ctx: ClientContext,
  id: string,
): Promise<ConversationDeletion> {
  const identity = requireIdentity(ctx);
  const hashes = (await ctx.store.conversations.listMessages(id))
    .map((m) => m.hash)
    .filter((h): h is string => h !== undefined);
  const hadConversation = await ctx.store.conversations.deleteConversation(id);
  const contact = await ctx.store.contacts.getContact(id);
  const hadContact = contact?.blocked === true ? false : await ctx.store.contacts.deleteContact(id);
  let swarmDeleted = 0;
  for (let i = 0; i < hashes.length; i += HASHES_PER_DELETE) {
    const chunk = hashes.slice(i, i + HASHES_PER_DELETE);
    try {
      await deleteMessages(ctx.swarm, identity, chunk);
      swarmDeleted += chunk.length;
    } catch (error) {
      ctx.logger.warn('deleting a conversation: swarm copies left to expire', {
        count: hashes.length - i,
        error,
      });
      break;
    }
  }
  return { existed: hadConversation || hadContact, swarmDeleted };
}
