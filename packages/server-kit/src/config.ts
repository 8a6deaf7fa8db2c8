/**
 * Server configuration from command-line flags, falling back to environment variables, then to
 * defaults: each setting declared once with its flag name, variable and kind, checked once
 * (CONVENTIONS.md, habit 7). Whoever owns argv and the environment (a `main.ts`, or an app)
 * passes them in; this module reads nothing ambient. A bad value is an outcome naming the flag
 * and the variable, not an exception, so the caller can print it and exit with its usage code.
 */

/** One setting. */
export interface ConfigField {
  /** The environment variable that supplies it when the flag is absent. */
  readonly env: string;
  /** `string`, or `integer` (parsed, checked against `min`/`max`). */
  readonly kind: 'string' | 'integer';
  readonly min?: number;
  readonly max?: number;
  /** Used when neither flag nor variable is given. */
  readonly default?: string | number;
  readonly required?: boolean;
  /** One line for `--help`. */
  readonly description: string;
}

/** Settings by flag name (`data` is `--data`). */
export type ConfigSpec = Readonly<Record<string, ConfigField>>;

/** The values a spec yields: strings and numbers, or undefined when unset and optional. */
export type ConfigValues<S extends ConfigSpec> = {
  readonly [K in keyof S]: S[K]['kind'] extends 'integer' ? number | undefined : string | undefined;
};

/** The outcome of `readConfig`. */
export type ConfigResult<S extends ConfigSpec> =
  | { readonly ok: true; readonly values: ConfigValues<S> }
  | { readonly ok: false; readonly message: string };

/** The `node:util` parseArgs options for a spec (every setting is a string flag). */
export function configFlags(spec: ConfigSpec): Record<string, { type: 'string' }> {
  return Object.fromEntries(Object.keys(spec).map((name) => [name, { type: 'string' as const }]));
}

/** Reads each setting from `flags`, else `env`, else its default. */
export function readConfig<S extends ConfigSpec>(
  spec: S,
  flags: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
): ConfigResult<S> {
  const values: Record<string, string | number | undefined> = {};
  for (const [name, field] of Object.entries(spec)) {
    const flag = flags[name];
    const raw = typeof flag === 'string' ? flag : env[field.env];
    const source = typeof flag === 'string' ? `--${name}` : field.env;
    if (raw === undefined || raw === '') {
      if (field.default === undefined && field.required === true) {
        return {
          ok: false,
          message: `--${name} (or ${field.env}) is required: ${field.description}`,
        };
      }
      values[name] = field.default;
      continue;
    }
    if (field.kind === 'string') {
      values[name] = raw;
      continue;
    }
    const n = /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    const min = field.min ?? Number.MIN_SAFE_INTEGER;
    const max = field.max ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      return {
        ok: false,
        message: `${source}: expected an integer from ${min} to ${max}, got "${raw.slice(0, 40)}"`,
      };
    }
    values[name] = n;
  }
  return { ok: true, values: values as ConfigValues<S> };
}

/** `--help` lines for a spec: flag, variable, default, description. */
export function configHelp(spec: ConfigSpec): string[] {
  return Object.entries(spec).map(([name, f]) => {
    const dflt = f.default === undefined ? '' : ` (default ${String(f.default)})`;
    return `  --${name} <${f.kind === 'integer' ? 'n' : 'value'}>  [${f.env}]  ${f.description}${dflt}`;
  });
}
