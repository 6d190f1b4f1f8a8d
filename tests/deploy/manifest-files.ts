import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';

/** The repository root: paths in problems are relative to it. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** One YAML document of one file, as plain data plus what is needed to point into it. */
export interface YamlDoc {
  /** Relative to the repository root, with forward slashes. */
  readonly file: string;
  /** 0-based position in its file. */
  readonly index: number;
  readonly data: unknown;
  readonly doc: Document;
  readonly lines: LineCounter;
}

export type Segment = string | number;

/** Reads every document of a YAML file; syntax errors and warnings become problems. */
export function loadYaml(relative: string, problems: string[]): YamlDoc[] {
  const text = fs.readFileSync(path.join(ROOT, relative), 'utf8');
  const lines = new LineCounter();
  // `merge`: Compose resolves YAML merge keys (`<<: *anchor`), so the test must too.
  const docs = parseAllDocuments(text, { lineCounter: lines, merge: true, prettyErrors: true });
  if (!Array.isArray(docs)) return [];
  const out: YamlDoc[] = [];
  docs.forEach((doc, index) => {
    for (const e of [...doc.errors, ...doc.warnings]) {
      problems.push(`${relative} document ${index + 1}: YAML ${e.name}: ${e.message}`);
    }
    const data: unknown = doc.toJS({ maxAliasCount: 1000 });
    // A trailing `---` or a comment-only document is not a resource.
    if (data !== null && data !== undefined) out.push({ file: relative, index, data, doc, lines });
  });
  return out;
}

/** Every .yaml/.yml file under a directory of the repository, sorted. */
export function yamlFilesUnder(relativeDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (/\.ya?ml$/.test(entry.name)) found.push(rel);
    }
  };
  walk(relativeDir);
  return found.sort();
}

// --- reading loosely typed documents ------------------------------------------------------

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function get(value: unknown, ...keys: Segment[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof key === 'number') current = Array.isArray(current) ? current[key] : undefined;
    else current = asRecord(current)?.[key];
    if (current === undefined) return undefined;
  }
  return current;
}

// --- naming the place of a problem --------------------------------------------------------

/** `Deployment/strategy` for a Kubernetes object, `compose` for a Compose file. */
export function describeDoc(d: YamlDoc): string {
  const kind = asString(get(d.data, 'kind'));
  const name = asString(get(d.data, 'metadata', 'name'));
  if (kind !== undefined) return `${kind}/${name ?? '<no name>'}`;
  return asRecord(get(d.data, 'services')) ? 'compose' : 'document';
}

const escapePointer = (s: Segment) => String(s).replace(/~/g, '~0').replace(/\//g, '~1');

/** Line of the deepest existing node on the path (a missing key points at its parent). */
function lineOf(d: YamlDoc, segments: Segment[]): number | undefined {
  for (let n = segments.length; n >= 0; n -= 1) {
    const node = d.doc.getIn(segments.slice(0, n), true) as { range?: [number, number, number] };
    if (node && Array.isArray(node.range)) return d.lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/** `k8s/strategy.yaml document 1 (Deployment/strategy) /spec/replicas (line 14): message` */
export function problemAt(d: YamlDoc, segments: Segment[], message: string): string {
  const pointer = segments.length === 0 ? '/' : `/${segments.map(escapePointer).join('/')}`;
  const line = lineOf(d, segments);
  const where = line === undefined ? '' : ` (line ${line})`;
  return `${d.file} document ${d.index + 1} (${describeDoc(d)}) ${pointer}${where}: ${message}`;
}

/** JSON pointer (ajv's instancePath) to path segments. */
export function segmentsOf(pointer: string): Segment[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
