/**
 * A small LAN of Linux network namespaces for the network-namespace scenario
 * (`npm run test:netns`, docs/devnet.md "Across network namespaces"): a hub namespace holding a
 * bridge, and N spoke namespaces, each joined to the bridge by a veth pair and given one
 * address in 10.231.0.0/24. The namespace this process runs in joins the bridge too (one more
 * veth pair), so the test and its `session-cli` clients reach every spoke directly.
 *
 * The bridge lives in its own namespace rather than in ours so that none of this machine's
 * firewall rules (bridged traffic can be passed to iptables here) apply to it, and so that
 * removing the hub removes everything. A spoke is cut off by taking its veth down on the hub's
 * side: its processes keep running, but nothing reaches them any more.
 *
 * Every step is an `ip` command; `destroy()` deletes what was created (each namespace with its
 * veth ends) and is safe to call twice or after a half-built topology.
 */
import { execFileSync } from 'node:child_process';

/** One spoke namespace. */
export interface Spoke {
  /** The namespace's name (for `ip netns exec`). */
  readonly ns: string;
  /** Its address on the LAN. */
  readonly ip: string;
  /** The veth end on the hub's bridge (taken down to cut the spoke off). */
  readonly hubLink: string;
}

/** A built LAN. */
export interface Topology {
  readonly hub: string;
  readonly spokes: readonly Spoke[];
  /** Our own address on the LAN. */
  readonly localIp: string;
  /** Takes spoke `i` off the LAN (its hub-side link down). */
  cut(i: number): void;
  /** Kills whatever still runs in the namespaces and deletes them and our veth end. */
  destroy(): void;
}

/** The LAN's /24; chosen far from the usual Docker and VM ranges. */
const PREFIX = '10.231.0';

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs `ip ...` and ignores a failure (for clean-up of things that may not exist). */
function ipQuiet(...args: string[]): void {
  try {
    ip(...args);
  } catch {
    // Already gone (or never made): nothing to clean.
  }
}

/**
 * Builds the hub and `count` spokes. `id` makes the names unique to this run (interface names
 * are at most 15 characters, so keep it to 4). Throws with `ip`'s message when the kernel or
 * our privileges do not allow it; what was built up to then is removed first.
 */
export function createTopology(id: string, count: number): Topology {
  const hub = `sts-${id}-hub`;
  const bridge = `s${id}br`;
  const localLink = `s${id}l`;
  const spokes: Spoke[] = Array.from({ length: count }, (_, i) => ({
    ns: `sts-${id}-${i + 1}`,
    ip: `${PREFIX}.${11 + i}`,
    hubLink: `s${id}h${i + 1}`,
  }));
  const made: string[] = [];
  const destroy = (): void => {
    for (const ns of [...made].reverse()) {
      // A namespace is only deleted for good once no process holds it.
      for (const pid of ipPids(ns)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Exited meanwhile.
        }
      }
      ipQuiet('netns', 'del', ns);
    }
    made.length = 0;
    // Our veth end goes with its peer in the hub; this covers a hub that was never made.
    ipQuiet('link', 'del', localLink);
  };
  try {
    ip('netns', 'add', hub);
    made.push(hub);
    ip('-n', hub, 'link', 'set', 'lo', 'up');
    ip('-n', hub, 'link', 'add', bridge, 'type', 'bridge');
    ip('-n', hub, 'link', 'set', bridge, 'up');
    // Our end of the LAN.
    ip('link', 'add', localLink, 'type', 'veth', 'peer', 'name', `s${id}lh`, 'netns', hub);
    ip('-n', hub, 'link', 'set', `s${id}lh`, 'master', bridge, 'up');
    ip('addr', 'add', `${PREFIX}.1/24`, 'dev', localLink);
    ip('link', 'set', localLink, 'up');
    for (const [i, s] of spokes.entries()) {
      ip('netns', 'add', s.ns);
      made.push(s.ns);
      ip('-n', s.ns, 'link', 'set', 'lo', 'up');
      const inner = `s${id}n${i + 1}`;
      ip('-n', hub, 'link', 'add', s.hubLink, 'type', 'veth', 'peer', 'name', inner, 'netns', s.ns);
      ip('-n', hub, 'link', 'set', s.hubLink, 'master', bridge, 'up');
      ip('-n', s.ns, 'addr', 'add', `${s.ip}/24`, 'dev', inner);
      ip('-n', s.ns, 'link', 'set', inner, 'up');
    }
  } catch (error) {
    destroy();
    throw error;
  }
  return {
    hub,
    spokes,
    localIp: `${PREFIX}.1`,
    cut: (i) => {
      const s = spokes[i];
      if (s === undefined) throw new Error(`no spoke ${i}`);
      ip('-n', hub, 'link', 'set', s.hubLink, 'down');
    },
    destroy,
  };
}

/** The processes running in namespace `ns` (none if it is gone). */
function ipPids(ns: string): number[] {
  try {
    return ip('netns', 'pids', ns)
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((p) => Number.isSafeInteger(p) && p > 0);
  } catch {
    return [];
  }
}

/** Whether `ip netns` can be used here: root and a working `ip` with namespace support. */
export function netnsAvailable(): { readonly ok: boolean; readonly why: string } {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return { ok: false, why: 'not running as root (network namespaces need CAP_SYS_ADMIN)' };
  }
  try {
    ip('netns', 'list');
    return { ok: true, why: '' };
  } catch (error) {
    return { ok: false, why: `ip netns does not work here: ${(error as Error).message}` };
  }
}
