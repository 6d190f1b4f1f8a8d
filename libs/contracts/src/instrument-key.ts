import { z } from 'zod';

/** Venues a position can live on. */
export const Venue = {
  wallet: 'wallet',
  binance: 'binance',
  bybit: 'bybit',
  okx: 'okx',
  aave_v3: 'aave_v3',
  etherfi: 'etherfi',
  lido: 'lido',
  morpho: 'morpho',
  instadapp: 'instadapp',
  uniswap: 'uniswap',
  curve: 'curve',
} as const;
export type Venue = (typeof Venue)[keyof typeof Venue];
export const venueSchema = z.enum(Object.values(Venue) as [Venue, ...Venue[]]);

export const CEX_VENUES = ['binance', 'bybit', 'okx'] as const;
export type CexVenue = (typeof CEX_VENUES)[number];
export const cexVenueSchema = z.enum(CEX_VENUES);

export const PositionType = {
  BaseToken: 'BaseToken',
  aToken: 'aToken',
  debtToken: 'debtToken',
  LST: 'LST',
  Perp: 'Perp',
} as const;
export type PositionType = (typeof PositionType)[keyof typeof PositionType];

/** `venue:position_type:symbol`, e.g. `aave_v3:aToken:aUSDT`, `binance:Perp:BTCUSDT`. */
export type PositionKey = `${Venue}:${PositionType}:${string}`;

export interface ParsedPositionKey {
  venue: Venue;
  positionType: PositionType;
  symbol: string;
}

const VENUES = new Set<string>(Object.values(Venue));
const POSITION_TYPES = new Set<string>(Object.values(PositionType));

/** Parses a key; returns an error message instead of throwing so callers choose how to fail. */
export function tryParsePositionKey(key: string): ParsedPositionKey | string {
  const parts = key.split(':');
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) {
    return `position key "${key}" must be venue:position_type:symbol`;
  }
  const [venue, positionType, symbol] = parts as [string, string, string];
  if (!VENUES.has(venue)) return `position key "${key}" has unknown venue "${venue}"`;
  if (!POSITION_TYPES.has(positionType)) {
    return `position key "${key}" has unknown position type "${positionType}"`;
  }
  return { venue: venue as Venue, positionType: positionType as PositionType, symbol };
}

// The loop parses the same few dozen keys on every tick, in every monitor; remembering them
// keeps string splitting (and its garbage) out of the hot path. Bounded, and only valid
// keys are kept, frozen, since callers share them.
const PARSED_KEYS_MAX = 4096;
const parsedKeys = new Map<string, Readonly<ParsedPositionKey>>();

export function parsePositionKey(key: string): Readonly<ParsedPositionKey> {
  const known = parsedKeys.get(key);
  if (known) return known;
  const parsed = tryParsePositionKey(key);
  if (typeof parsed === 'string') throw new Error(parsed);
  if (parsedKeys.size < PARSED_KEYS_MAX) parsedKeys.set(key, Object.freeze(parsed));
  return parsed;
}

export function positionKey(venue: Venue, positionType: PositionType, symbol: string): PositionKey {
  return `${venue}:${positionType}:${symbol}`;
}

export const positionKeySchema = z
  .string()
  .superRefine((value, ctx) => {
    const parsed = tryParsePositionKey(value);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  })
  .transform((value) => value as PositionKey);

/** Base asset of a perp symbol: BTCUSDT -> BTC. */
export function perpBase(symbol: string): string {
  return symbol.replace(/(USDT|USD|PERP)$/, '');
}
