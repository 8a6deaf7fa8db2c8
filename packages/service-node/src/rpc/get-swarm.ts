/**
 * `get_swarm`, alias `get_snodes_for_pubkey` (network.md §1.3, §12.3, §12.4): the swarm that
 * stores an account, `{snodes: […], swarm: "<16 hex digits>", t, hf}`. Any node answers for any
 * account; no auth. (session-foundation/session-storage-server
 * `oxenss/rpc/request_handler.cpp`, `process_client_req(rpc::get_swarm&&)`.)
 */
import { defineMethod, reply, withMisc } from './handler.ts';
import { parseGetSwarm } from './params.ts';
import { swarmToJson } from './swarm-json.ts';

export const getSwarmMethod = defineMethod({
  names: ['get_swarm', 'get_snodes_for_pubkey'],
  recursive: false,
  parse: parseGetSwarm,
  run(ctx, p) {
    const body = swarmToJson(ctx.swarm.swarmFor(p.account.bytes));
    return reply(withMisc(ctx, body, ctx.clock.now()));
  },
});
