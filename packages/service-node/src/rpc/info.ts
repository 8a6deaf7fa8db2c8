/**
 * `info` (network.md §1.3): the node's version and clock, `{version: [2, 8, 0], timestamp, t,
 * hf}`; clients use it for their network-time offset (the desktop's `getNetworkTime.ts`).
 * (session-foundation/session-storage-server `oxenss/rpc/request_handler.cpp`,
 * `process_client_req(rpc::info&&)`.)
 */
import { defineMethod, reply, STORAGE_SERVER_VERSION, withMisc } from './handler.ts';

export const infoMethod = defineMethod({
  names: ['info'],
  recursive: false,
  parse: () => ({}),
  run(ctx) {
    const now = ctx.clock.now();
    return reply(withMisc(ctx, { version: [...STORAGE_SERVER_VERSION], timestamp: now }, now));
  },
});
