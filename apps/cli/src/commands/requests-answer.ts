/**
 * `session-cli requests accept|decline|block SESSION_ID`: answers a message request. Accepting
 * sends the message-request response (the sender learns it was accepted); declining hides the
 * conversation until they write again; blocking drops their messages. The three share one file
 * because they differ only in the SDK call.
 */
import type { Client } from '@session-ts/sdk';
import { CliError } from '../cli-error.ts';
import { CLIENT_OPTIONS, sessionIdArg, shortId, withClient } from '../client-session.ts';
import type { CommandImpl } from '../command.ts';

type Answer = 'accept' | 'decline' | 'block';

const ACTIONS: {
  readonly [A in Answer]: { readonly done: string; call(c: Client, id: string): Promise<void> };
} = {
  accept: { done: 'accepted', call: (c, id) => c.acceptRequest(id) },
  decline: { done: 'declined', call: (c, id) => c.declineRequest(id) },
  block: { done: 'blocked', call: (c, id) => c.block(id) },
};

function answerCommand(answer: Answer): CommandImpl {
  const action = ACTIONS[answer];
  return {
    options: CLIENT_OPTIONS,
    positionals: [1, 1],
    run: (ctx) => {
      const id = sessionIdArg(ctx.positionals[0]);
      return withClient(ctx, { network: answer === 'accept' }, async ({ client }) => {
        const known = (await client.listConversations()).some((c) => c.id === id);
        if (!known && answer !== 'block') {
          throw new CliError(
            'bad-input',
            `no conversation with ${id} (see session-cli requests list)`,
          );
        }
        // Only accepting goes to the network (the response message); the others are local.
        if (answer === 'accept') ctx.progress(`sending the acceptance to ${shortId(id)}`);
        await action.call(client, id);
        return { json: { conversationId: id, state: action.done }, text: `${action.done} ${id}` };
      });
    },
  };
}

export const requestsAccept = answerCommand('accept');
export const requestsDecline = answerCommand('decline');
export const requestsBlock = answerCommand('block');
