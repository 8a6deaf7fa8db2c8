/**
 * The architecture checker: reads every TypeScript source file of the workspaces and reports
 * each import or ambient effect that breaks the rules in `rules.ts`. It works on a list of
 * `{ path, text }` so its own tests can feed it synthetic violations.
 */
import { ALLOWED_IMPORTS, AMBIENT, CRYPTO_LIBRARIES, CRYPTO_MODULE, IO_MODULES } from './rules.ts';

/** One source file, with its path relative to the repository root (forward slashes). */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** One broken rule. */
export interface Violation {
  readonly path: string;
  readonly rule: string;
  readonly detail: string;
}

interface Workspace {
  readonly kind: 'package' | 'app';
  readonly name: string;
  readonly root: string;
}

const PACKAGE_SCOPE = '@session-ts/';
const CORE_INDEX = 'packages/core/src/index.ts';

function workspaceOf(path: string): Workspace | undefined {
  const m = /^(packages|apps)\/([^/]+)\//.exec(path);
  if (m === null) return undefined;
  const kind = m[1] === 'apps' ? 'app' : 'package';
  return { kind, name: m[2] ?? '', root: `${m[1]}/${m[2]}/` };
}

/** Extracts import/export/require specifiers (static, dynamic and re-exports). */
export function importSpecifiers(text: string): string[] {
  const specs: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) if (m[1] !== undefined) specs.push(m[1]);
  }
  return specs;
}

function resolveRelative(from: string, spec: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const seg of spec.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

function isTestFile(path: string): boolean {
  return path.endsWith('.test.ts') || path.includes('/test-support/');
}

/** Checks every file and returns all violations (empty when the tree keeps the rules). */
export function checkArchitecture(files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  const add = (path: string, rule: string, detail: string): void => {
    violations.push({ path, rule, detail });
  };
  for (const file of files) {
    const ws = workspaceOf(file.path);
    if (ws === undefined) continue;
    const code = stripComments(file.text);
    for (const spec of importSpecifiers(code)) {
      if (spec.startsWith('.')) {
        const target = resolveRelative(file.path, spec);
        // Tests may read another workspace's test vectors: they are data, not code.
        const vectorData = isTestFile(file.path) && spec.endsWith('.json');
        if (!target.startsWith(ws.root) && !vectorData) {
          add(file.path, 'relative-escape', `'${spec}' leaves ${ws.root}`);
        }
        continue;
      }
      if (spec.startsWith(PACKAGE_SCOPE)) {
        const rest = spec.slice(PACKAGE_SCOPE.length);
        const [target, ...deep] = rest.split('/');
        if (deep.length > 0) {
          add(
            file.path,
            'deep-import',
            `'${spec}' reaches past ${PACKAGE_SCOPE}${target}'s index.ts`,
          );
        }
        if (target === undefined || target === ws.name) continue;
        if (ws.kind === 'app') continue;
        const allowed = ALLOWED_IMPORTS[ws.name];
        if (allowed === undefined) {
          add(file.path, 'unknown-layer', `package '${ws.name}' is not in the layer table`);
        } else if (!allowed.includes(target)) {
          add(file.path, 'layer', `${ws.name} may not import ${target}`);
        }
        continue;
      }
      if (CRYPTO_LIBRARIES.some((re) => re.test(spec)) && file.path !== CRYPTO_MODULE) {
        // Tests may: they cross-check our primitives against independent implementations.
        if (!isTestFile(file.path)) {
          add(file.path, 'crypto-library', `'${spec}' may only be imported by ${CRYPTO_MODULE}`);
        }
      }
      if (file.path.startsWith('packages/core/src/') && !isTestFile(file.path)) {
        if (IO_MODULES.some((re) => re.test(spec))) {
          add(file.path, 'core-io', `core is pure and may not import '${spec}'`);
        }
      }
    }
    if (isTestFile(file.path)) continue;
    const isMain = file.path.endsWith('/main.ts');
    if (ws.kind === 'package' && !isMain && AMBIENT.processEnvOrArgv.test(code)) {
      add(file.path, 'ambient-config', 'only main.ts files and apps read process.env/argv');
    }
    if (file.path.startsWith('packages/core/src/')) {
      if (AMBIENT.clock.test(code)) add(file.path, 'core-clock', 'core takes time as an argument');
      // The crypto module defines the system Rng factory for the edges; nothing else in core
      // may draw randomness or call that factory.
      if (file.path !== CRYPTO_MODULE && AMBIENT.randomness.test(code)) {
        add(file.path, 'core-randomness', 'core takes an Rng as an argument');
      }
      if (
        file.path !== CRYPTO_MODULE &&
        file.path !== CORE_INDEX &&
        /\bcreateSystemRng\b/.test(code)
      ) {
        add(file.path, 'core-randomness', 'only apps and main.ts files build the system Rng');
      }
    }
  }
  return violations;
}
