import { envelope, envelopeSchema } from './envelope';
import { parsePositionKey, tryParsePositionKey } from './instrument-key';
import { stageSubject } from './subjects';

describe('contracts', () => {
  it('builds subjects broad to narrow with the run id and refuses unsafe run ids', () => {
    expect(stageSubject('risk', 'run-42')).toBe('tightloop.run.run-42.risk');
    expect(() => stageSubject('risk', 'a.b')).toThrow('run id');
  });

  it('round-trips an envelope and rejects a payload that breaks its schema', () => {
    const message = envelope('decision', {
      runId: 'r1',
      tickMs: 0,
      seq: 1,
      correlationId: 'c',
      payload: { units: [] },
    });
    expect(envelopeSchema('decision').parse(message)).toEqual(message);
    const bad = { ...message, payload: { units: [{ kind: 'single', instruction: { id: 'x' } }] } };
    expect(envelopeSchema('decision').safeParse(bad).success).toBe(false);
  });

  it('parses instrument keys and names what is wrong with a bad one', () => {
    expect(parsePositionKey('aave_v3:aToken:aUSDT')).toEqual({
      venue: 'aave_v3',
      positionType: 'aToken',
      symbol: 'aUSDT',
    });
    expect(tryParsePositionKey('bybit:PerpPosition:BTC')).toContain('unknown position type');
    expect(tryParsePositionKey('binance.Perp.BTCUSDT')).toContain('venue:position_type:symbol');
  });
});
