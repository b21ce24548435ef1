/** The schema language of the catalog: field specs, and validation of a block against them. */

export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'string[]';

export interface FieldSpec {
  type: FieldType;
  description: string;
  /** Defaults to false. */
  required?: boolean;
  /** Allowed values for `string` / `string[]` fields. */
  enum?: readonly string[];
  /** Inclusive bounds for `number` / `integer` fields. */
  min?: number;
  max?: number;
}

export type Schema = Readonly<Record<string, FieldSpec>>;

export interface WidgetSpec {
  description: string;
  props: Schema;
}

export interface CheckSpec {
  description: string;
  params: Schema;
}

/** The TypeScript type of a value described by a FieldSpec. */
type FieldValue<F extends FieldSpec> = F['type'] extends 'string'
  ? F extends { enum: readonly (infer E)[] }
    ? E
    : string
  : F['type'] extends 'number' | 'integer'
    ? number
    : F['type'] extends 'boolean'
      ? boolean
      : string[];

/** The object type a schema describes: required keys required, the others optional. */
export type ValuesOf<S extends Schema> = {
  -readonly [K in keyof S as S[K] extends { required: true } ? K : never]: FieldValue<S[K]>;
} & {
  -readonly [K in keyof S as S[K] extends { required: true } ? never : K]?: FieldValue<S[K]>;
};

/** One schema violation; `key` is set when it concerns one key (so the parser can point at it). */
export interface SchemaIssue {
  key?: string;
  message: string;
}

/**
 * Validates a plain object against a schema: unknown keys, missing required keys, types, enums,
 * bounds. `what` names one key in messages (`prop`, `param`). Returns [] when valid.
 */
export function validateAgainstSchema(schema: Schema, value: unknown, what: string): SchemaIssue[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [{ message: `${what}s must be a mapping of key: value` }];
  }
  const issues: SchemaIssue[] = [];
  const record = value as Record<string, unknown>;
  const known = Object.keys(schema);
  for (const key of Object.keys(record)) {
    if (!Object.hasOwn(schema, key)) {
      const list = known.length ? known.join(', ') : 'none';
      issues.push({ key, message: `unknown ${what} "${key}" (known: ${list})` });
    }
  }
  for (const [key, spec] of Object.entries(schema)) {
    if (!Object.hasOwn(record, key) || record[key] === undefined || record[key] === null) {
      if (spec.required) issues.push({ message: `missing required ${what} "${key}"` });
      continue;
    }
    const problem = checkField(spec, record[key]);
    if (problem) issues.push({ key, message: `${what} "${key}" ${problem}` });
  }
  return issues;
}

function checkField(spec: FieldSpec, v: unknown): string | null {
  switch (spec.type) {
    case 'string':
      if (typeof v !== 'string') return 'must be a string';
      if (spec.enum && !spec.enum.includes(v)) return `must be one of ${spec.enum.join(', ')}`;
      return null;
    case 'string[]':
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
        return 'must be a list of strings';
      }
      if (spec.enum) {
        const bad = v.find((x) => !spec.enum!.includes(x as string));
        if (bad !== undefined) return `has "${bad}", not one of ${spec.enum.join(', ')}`;
      }
      return null;
    case 'boolean':
      return typeof v === 'boolean' ? null : 'must be true or false';
    case 'number':
    case 'integer':
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'must be a number';
      if (spec.type === 'integer' && !Number.isInteger(v)) return 'must be a whole number';
      if (spec.min !== undefined && v < spec.min) return `must be at least ${spec.min}`;
      if (spec.max !== undefined && v > spec.max) return `must be at most ${spec.max}`;
      return null;
  }
}
