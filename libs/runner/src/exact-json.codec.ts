/**
 * JSON text that gives back exactly what was encoded: numbers bit for bit (shortest
 * round-trip text), and also -0, NaN, +-Infinity and undefined, which plain JSON drops or
 * turns into null, each as a one-key tag object. Key order is kept by the text itself,
 * which matters because the loop sums over object entries in order: a checkpoint must be
 * stored as this text (a jsonb object would reorder its keys).
 *
 * Only plain data is accepted: a Map, Date, class instance, function or bigint is refused
 * with its path, rather than coming back as something else.
 */
const TAG = '$exact';

type Tagged = { [TAG]: 'undefined' | 'NaN' | 'Infinity' | '-Infinity' | '-0' };

function tagged(value: unknown): Tagged | null {
  if (value === undefined) return { [TAG]: 'undefined' };
  if (typeof value !== 'number') return null;
  if (Number.isNaN(value)) return { [TAG]: 'NaN' };
  if (value === Infinity) return { [TAG]: 'Infinity' };
  if (value === -Infinity) return { [TAG]: '-Infinity' };
  return Object.is(value, -0) ? { [TAG]: '-0' } : null;
}

function toJsonSafe(value: unknown, path: string): unknown {
  const tag = tagged(value);
  if (tag) return tag;
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw new Error(`cannot encode ${path}[${i}]: a hole in an array`);
      out[i] = toJsonSafe(value[i], `${path}[${i}]`);
    }
    return out;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === TAG) throw new Error(`cannot encode ${path}: it has a key ${TAG}`);
      out[key] = toJsonSafe(item, `${path}.${key}`);
    }
    return out;
  }
  const kind = typeof value === 'object' ? value.constructor?.name : typeof value;
  throw new Error(`cannot encode ${path}: a ${kind} is not plain data`);
}

function fromJsonSafe(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(fromJsonSafe);
  const object = value as Record<string, unknown>;
  if (TAG in object) {
    const tag = object[TAG] as Tagged[typeof TAG];
    return tag === 'undefined' ? undefined : tag === '-0' ? -0 : Number(tag);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(object)) out[key] = fromJsonSafe(item);
  return out;
}

export function encodeExactJson(value: unknown, name = 'value'): string {
  return JSON.stringify(toJsonSafe(value, name));
}

export function decodeExactJson<T>(text: string): T {
  return fromJsonSafe(JSON.parse(text)) as T;
}
