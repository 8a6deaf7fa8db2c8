/**
 * A fake service node for the network layer's tests: just enough of a storage server to be a
 * client's guard, relay, exit and destination. It serves
 *
 * - `POST /storage_rpc/v1`: `get_swarm`, `info`, `oxend_request` (`get_service_nodes`), `store`
 *   (public namespaces), `retrieve` with upstream's auth (±60 s window on a signature over
 *   core's `retrieveToSign`, `pubkey_ed25519` converting to the account), `batch`, `sequence`,
 *   and 421 with the right swarm for accounts it does not hold;
 * - `POST /onion_req/v2`: the node side of onion requests, written against core's onion module
 *   (the real endpoint is server-kit's `createOnionEndpoint`; net may not import server-kit).
 *   Relays go to the next node over the node's own transport, so the next node sees this node's
 *   address, not the client's.
 *
 * `onView` receives what the node learnt from each onion layer it handled — who sent it, its
 * role, the decrypted layer's JSON, the RPC body if it was the destination — which is what the
 * privacy test checks.
 */
import {
  SIGNATURE_TOLERANCE_MS,
  decodeOnionEnvelope,
  decodeOnionFrame,
  encodeOnionEnvelope,
  fromBase64,
  fromHex,
  fromUtf8,
  isProtocolError,
  messageHash,
  MAX_ONION_HOPS,
  openOnionEnvelope,
  peelOnionLayer,
  retrieveToSign,
  sealOnionResponse,
  sessionIdFromEd25519,
  swarmIdToHex,
  toHex,
  verifyDetached,
  type Clock,
  type Identity,
  type OnionResult,
  type Rng,
} from '@session-ts/core';
import { isNetworkError } from '../network-error.ts';
import { swarmNodeJson, type NodeInfo } from '../node-info.ts';
import type { FetchHandler, Transport } from '../transport.ts';

/** What a node learnt from one onion layer. */
export interface NodeView {
  /** This node (`ip:port`). */
  readonly node: string;
  /** The address the layer came from. */
  readonly from: string | undefined;
  readonly role: 'relay' | 'final' | 'proxy' | 'undecryptable' | 'invalid' | 'rejected';
  /** The decrypted layer's JSON part (relay/final), as text. */
  readonly layerJson?: string;
  /** The RPC body (final node only). */
  readonly rpcBody?: string;
}

/** Options of `createFakeNode`. */
export interface FakeNodeOptions {
  readonly identity: Identity;
  readonly ip: string;
  readonly port: number;
  /** The node's own transport (source address = its IP), for relaying. */
  readonly transport: Transport;
  /** Every node of the network (relay lookup). */
  readonly directory: () => readonly NodeInfo[];
  /** The swarm that currently holds `account`. */
  readonly swarmOf: (account: string) => {
    readonly id: bigint;
    readonly nodes: readonly NodeInfo[];
  };
  /** The list `oxend_request get_service_nodes` answers (default the directory). */
  readonly nodeList?: () => readonly NodeInfo[];
  readonly clock: Clock;
  readonly rng: Rng;
  readonly onView?: (view: NodeView) => void;
}

/** A fake node. */
export interface FakeNode {
  readonly info: NodeInfo;
  readonly handler: FetchHandler;
}

interface StoredMessage {
  readonly hash: string;
  readonly timestamp: number;
  readonly expiration: number;
  readonly data: string;
}

type RpcResult = OnionResult;

const HF = [19, 4];

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A node's entry in a `service_node_states` list. */
export function serviceNodeStateJson(node: NodeInfo): Record<string, unknown> {
  return {
    public_ip: node.ip,
    storage_port: node.port,
    pubkey_ed25519: node.pubkeyEd25519,
    pubkey_x25519: node.pubkeyX25519,
    ...(node.swarmId === undefined ? {} : { swarm: swarmIdToHex(node.swarmId) }),
  };
}

/** Creates a fake node. */
export function createFakeNode(options: FakeNodeOptions): FakeNode {
  const { identity, clock } = options;
  const info: NodeInfo = {
    pubkeyEd25519: toHex(identity.ed25519PublicKey),
    pubkeyX25519: toHex(identity.x25519PublicKey),
    ip: options.ip,
    port: options.port,
    swarmId: undefined,
  };
  const self = `${options.ip}:${options.port}`;
  const messages = new Map<string, StoredMessage[]>();

  const misc = (): Record<string, unknown> => ({ t: clock.now(), hf: HF });

  const wrongSwarm = (account: string): RpcResult | undefined => {
    const swarm = options.swarmOf(account);
    if (swarm.nodes.some((n) => n.pubkeyEd25519 === info.pubkeyEd25519)) return undefined;
    return {
      status: 421,
      json: { snodes: swarm.nodes.map(swarmNodeJson), swarm: swarmIdToHex(swarm.id), ...misc() },
    };
  };

  const rpc = (method: unknown, params: Record<string, unknown>, depth = 0): RpcResult => {
    const account = params['pubkey'];
    switch (method) {
      case 'info':
        return { status: 200, json: { version: [2, 8, 0], timestamp: clock.now(), ...misc() } };
      case 'oxend_request': {
        if (params['endpoint'] !== 'get_service_nodes')
          return { status: 400, text: 'bad endpoint' };
        const list = (options.nodeList ?? options.directory)();
        return {
          status: 200,
          json: { result: { service_node_states: list.map(serviceNodeStateJson) }, ...misc() },
        };
      }
      case 'get_swarm':
      case 'get_snodes_for_pubkey': {
        if (typeof account !== 'string' || !/^[0-9a-f]{66}$/.test(account)) {
          return { status: 400, text: 'invalid pubkey' };
        }
        const swarm = options.swarmOf(account);
        return {
          status: 200,
          json: {
            snodes: swarm.nodes.map(swarmNodeJson),
            swarm: swarmIdToHex(swarm.id),
            ...misc(),
          },
        };
      }
      case 'store': {
        if (typeof account !== 'string' || typeof params['data'] !== 'string') {
          return { status: 400, text: 'invalid store' };
        }
        const wrong = wrongSwarm(account);
        if (wrong !== undefined) return wrong;
        const data = fromBase64(params['data']);
        const hash = messageHash(fromHex(account), 0, data);
        const list = messages.get(account) ?? [];
        const now = clock.now();
        list.push({ hash, timestamp: now, expiration: now + 86_400_000, data: params['data'] });
        messages.set(account, list);
        return { status: 200, json: { hash, ...misc() } };
      }
      case 'retrieve': {
        if (typeof account !== 'string') return { status: 400, text: 'invalid retrieve' };
        const wrong = wrongSwarm(account);
        if (wrong !== undefined) return wrong;
        const ts = params['timestamp'];
        const sig = params['signature'];
        const ed = params['pubkey_ed25519'];
        if (typeof ts !== 'number' || typeof sig !== 'string' || typeof ed !== 'string') {
          return { status: 401, text: 'retrieve: missing signature' };
        }
        if (Math.abs(ts - clock.now()) > SIGNATURE_TOLERANCE_MS) {
          return { status: 406, text: 'retrieve timestamp too far from current time' };
        }
        try {
          const edKey = fromHex(ed);
          if (sessionIdFromEd25519(edKey) !== account) return { status: 401, text: 'key mismatch' };
          const ok = verifyDetached(
            fromBase64(sig),
            retrieveToSign({ namespace: 0, timestamp: ts }),
            edKey,
          );
          if (!ok) return { status: 401, text: 'retrieve signature verification failed' };
        } catch {
          return { status: 401, text: 'retrieve signature verification failed' };
        }
        return {
          status: 200,
          json: { messages: messages.get(account) ?? [], more: false, ...misc() },
        };
      }
      case 'batch':
      case 'sequence': {
        const requests = params['requests'];
        if (
          depth > 0 ||
          !Array.isArray(requests) ||
          requests.length === 0 ||
          requests.length > 20
        ) {
          return { status: 400, text: 'invalid batch' };
        }
        const results: { code: number; body: unknown }[] = [];
        for (const r of requests) {
          const sub = asObject(r);
          const res = rpc(sub?.['method'], asObject(sub?.['params']) ?? {}, depth + 1);
          results.push({ code: res.status, body: 'json' in res ? res.json : res.text });
          if (method === 'sequence' && (res.status < 200 || res.status > 299)) break;
        }
        return { status: 200, json: { results } };
      }
      default:
        return { status: 400, text: `no method ${String(method).slice(0, 40)}` };
    }
  };

  const runRpcBody = (body: Uint8Array): RpcResult => {
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = asObject(JSON.parse(fromUtf8(body)));
    } catch {
      parsed = undefined;
    }
    const params = asObject(parsed?.['params']);
    if (parsed === undefined || params === undefined) return { status: 400, text: 'invalid json' };
    return rpc(parsed['method'], params);
  };

  const view = (v: Omit<NodeView, 'node'>): void => options.onView?.({ node: self, ...v });

  const onion = async (request: Request, from: string | undefined): Promise<Response> => {
    const body = new Uint8Array(await request.arrayBuffer());
    let envelope;
    try {
      envelope = decodeOnionEnvelope(body);
    } catch (error) {
      view({ from, role: 'rejected' });
      return text(
        400,
        `Error parsing onion request: ${isProtocolError(error) ? error.message : '?'}`,
      );
    }
    if (envelope.hopNo > MAX_ONION_HOPS) return text(400, 'onion request max path length exceeded');
    const opened = openOnionEnvelope(identity, envelope);
    const layerJson = (() => {
      try {
        return opened === undefined
          ? undefined
          : JSON.stringify(decodeOnionFrame(opened.plaintext).json);
      } catch {
        return undefined;
      }
    })();
    const layer = peelOnionLayer(identity, envelope);
    switch (layer.kind) {
      case 'undecryptable':
        view({ from, role: 'undecryptable' });
        return text(400, 'Invalid ciphertext');
      case 'invalid':
        view({ from, role: 'invalid' });
        return new Response(
          sealOnionResponse(
            layer.key,
            { status: 400, text: 'Invalid json' },
            { json: false, base64: true },
            options.rng,
          ),
        );
      case 'proxy':
        view({ from, role: 'proxy', ...(layerJson === undefined ? {} : { layerJson }) });
        return text(502, 'proxying is not supported by fake nodes');
      case 'final': {
        view({
          from,
          role: 'final',
          rpcBody: fromUtf8(layer.body),
          ...(layerJson === undefined ? {} : { layerJson }),
        });
        const result = runRpcBody(layer.body);
        return new Response(sealOnionResponse(layer.key, result, layer, options.rng));
      }
      case 'relay': {
        view({ from, role: 'relay', ...(layerJson === undefined ? {} : { layerJson }) });
        const nextHex = toHex(layer.next);
        const next = options.directory().find((n) => n.pubkeyEd25519 === nextHex);
        if (next === undefined) return text(502, `Next node not found: ${nextHex}`);
        try {
          const res = await options.transport.request(
            next,
            encodeOnionEnvelope({ ...layer.layer, hopNo: envelope.hopNo + 1 }),
            { path: '/onion_req/v2', timeoutMs: 30_000, signal: request.signal },
          );
          return new Response(res.body, { status: res.status });
        } catch (error) {
          if (isNetworkError(error, 'timeout')) return text(504, 'Request time out');
          return text(502, `Next node is currently unreachable: ${nextHex}`);
        }
      }
    }
  };

  const handler: FetchHandler = async (request, context) => {
    const path = new URL(request.url).pathname;
    if (request.method !== 'POST') return text(405, 'POST only');
    if (path === '/onion_req/v2') return onion(request, context?.remoteAddress);
    if (path !== '/storage_rpc/v1') return text(404, 'not found');
    const result = runRpcBody(new Uint8Array(await request.arrayBuffer()));
    return 'json' in result
      ? Response.json(result.json, { status: result.status })
      : text(result.status, result.text);
  };

  return { info, handler };
}
