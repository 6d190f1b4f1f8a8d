import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { ROOT, asString, get, problemAt, segmentsOf, type YamlDoc } from './manifest-files';

/**
 * The JSON schemas come from two devDependencies, resolved from the repository root:
 *
 * - `dclint` ships the official Compose specification schema (compose-spec/compose-go's
 *   `compose-spec.json`, draft-07) as `schemas/compose.schema.json`;
 * - `kubernetes-models` ships the Kubernetes API schemas of every apiVersion/kind (from
 *   Kubernetes' own OpenAPI definitions), compiled to ajv validators, one per kind.
 */
export const SCHEMA_PACKAGES = ['dclint@3.1.0', 'kubernetes-models@4.5.1'] as const;

const requireFromRoot = createRequire(path.join(ROOT, 'package.json'));

function missing(pkg: string, error: unknown): Error {
  const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new Error(
    `the schema package "${pkg}" is not installed (${why}); ` +
      `add the devDependencies: npm install --save-dev --save-exact ${SCHEMA_PACKAGES.join(' ')}`,
  );
}

/** Formats an ajv error without echoing values (a Secret's value must never be printed). */
function ajvMessage(e: Pick<ErrorObject, 'message' | 'params' | 'keyword'>): string {
  const params = e.params as Record<string, unknown>;
  const extra =
    asString(params.additionalProperty) ??
    asString(params.missingProperty) ??
    (Array.isArray(params.allowedValues) ? params.allowedValues.join(' | ') : undefined);
  return `${e.message ?? e.keyword}${extra === undefined ? '' : ` (${extra})`}`;
}

/** Deduplicated schema problems, each naming file, document, path and line. */
function problemsFromErrors(
  d: YamlDoc,
  errors: readonly Pick<ErrorObject, 'instancePath' | 'message' | 'params' | 'keyword'>[],
  label: string,
): string[] {
  const seen = new Set<string>();
  for (const e of errors) {
    seen.add(problemAt(d, segmentsOf(e.instancePath), `${label}: ${ajvMessage(e)}`));
  }
  return [...seen];
}

// --- Compose ------------------------------------------------------------------------------

export type Validate = (d: YamlDoc) => string[];

export function composeValidator(): Validate {
  let schemaFile: string;
  try {
    // dclint's `exports` only lists package.json and its entry point; the schema is beside.
    schemaFile = path.join(
      path.dirname(requireFromRoot.resolve('dclint/package.json')),
      'schemas',
      'compose.schema.json',
    );
  } catch (error) {
    throw missing('dclint', error);
  }
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
  // The spec names its meta-schema "https://json-schema.org/draft-07/schema"; ajv knows
  // draft-07 as "http://json-schema.org/draft-07/schema" and refuses the https spelling.
  // Draft-07 is ajv's default, so the declaration can go.
  delete schema.$schema;
  // strict: false because the spec uses union types (`type: [string, number]`) and
  // object keywords without `type: object`, which ajv's strict mode reports as warnings.
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  return (d) =>
    validate(d.data) ? [] : problemsFromErrors(d, validate.errors ?? [], 'compose-spec');
}

// --- Kubernetes ---------------------------------------------------------------------------

interface KubernetesModelError {
  errors?: readonly Pick<ErrorObject, 'instancePath' | 'message' | 'params' | 'keyword'>[];
  message?: string;
}
type KubernetesModel = new (data: unknown) => { validate(): void };

/** Validates a document against the Kubernetes schema of its own apiVersion and kind. */
export function kubernetesValidator(): Validate {
  try {
    requireFromRoot.resolve('kubernetes-models/package.json');
  } catch (error) {
    throw missing('kubernetes-models', error);
  }
  const modelOf = (apiVersion: string, kind: string): KubernetesModel | undefined => {
    // kubernetes-models is laid out by apiVersion: "v1", "apps/v1", "autoscaling/v2", ...
    if (!/^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/.test(apiVersion)) return undefined;
    let group: Record<string, unknown>;
    try {
      group = requireFromRoot(`kubernetes-models/${apiVersion}`) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    const model = group[kind];
    return typeof model === 'function' ? (model as KubernetesModel) : undefined;
  };
  return (d) => {
    const apiVersion = asString(get(d.data, 'apiVersion'));
    const kind = asString(get(d.data, 'kind'));
    if (apiVersion === undefined || kind === undefined) {
      return [problemAt(d, [], 'a Kubernetes object needs apiVersion and kind')];
    }
    const Model = modelOf(apiVersion, kind);
    if (Model === undefined) {
      return [problemAt(d, ['kind'], `no Kubernetes schema for ${apiVersion} ${kind}`)];
    }
    try {
      new Model(d.data).validate();
      return [];
    } catch (error) {
      const e = error as KubernetesModelError;
      if (!Array.isArray(e.errors)) throw error;
      return problemsFromErrors(d, e.errors, `Kubernetes ${apiVersion} ${kind}`);
    }
  };
}
