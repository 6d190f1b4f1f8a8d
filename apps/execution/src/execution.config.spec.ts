import { readStageServiceConfig } from '@tightloop/stage-host';
import { executionConfigSchema } from './execution.config';

describe("the execution service's config", () => {
  it('is one config: the stage settings and its own, with defaults', () => {
    const config = readStageServiceConfig({ HTTP_PORT: '0' }, executionConfigSchema);
    expect(config).toMatchObject({ HTTP_PORT: 0, DB_SCHEMA: 'execution' });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('refuses a bad value, naming every variable at fault', () => {
    expect(() =>
      readStageServiceConfig(
        { HTTP_PORT: 'x', DATABASE_URL: 'not a url', DB_SCHEMA: 'Bad-Name' },
        executionConfigSchema,
      ),
    ).toThrow(
      /invalid service configuration: HTTP_PORT: .*DATABASE_URL: .*DB_SCHEMA: invalid schema name "Bad-Name"/,
    );
  });
});
