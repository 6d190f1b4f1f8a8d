import path from 'node:path';
import { resolveStrategyConfig, StrategyConfigError, UnknownStrategyError } from '@tightloop/core';
import { backtestRequestSchema, type BacktestRequestInput } from '@tightloop/runner';
import { ApiError } from './api.error';
import { backtestSubmissionSchema } from './backtest-submission.schema';
import { describeError } from './error-message.describer';
import type { RunControllerConfig, StagesConfig, StagesTransport } from './run-controller.config';

export interface CheckedSubmission {
  /**
   * The body as given, kept on the run record for audit and re-runs, with the transport
   * filled in when the body left it to the default: the record says where the stages ran.
   */
  request: Record<string, unknown>;
  strategy: string;
  /** Exactly what the runner will be called with. */
  input: BacktestRequestInput;
}

/**
 * Turns a request body into the runner's input and makes the checks the runner makes
 * first, in its order (its request schema, then the strategy's config with the capital
 * folded in as the runner folds it), so a bad request is a 400 now, with the runner's own
 * message, not a failed run later. Data problems only show once a run loads its data;
 * they fail the run and its status says why.
 */
export function checkSubmission(
  body: unknown,
  runId: string,
  config: RunControllerConfig,
): CheckedSubmission {
  const parsed = backtestSubmissionSchema.safeParse(body);
  if (!parsed.success) throw ApiError.badRequest('INVALID_REQUEST', describeError(parsed.error));
  const s = parsed.data;
  const transport = s.transport ?? config.stages.transport;
  const input: BacktestRequestInput = {
    strategy: s.strategy,
    start: s.start,
    end: s.end,
    outDir: path.join(config.resultsDir, runId),
    cacheDir: config.cacheDir,
    ...(config.dataDir !== undefined ? { dataDir: config.dataDir } : {}),
    ...(s.capital !== undefined ? { capital: s.capital } : {}),
    configOverrides: s.config ?? {},
    transport: runnerTransport(transport, config.stages),
    runId,
  };

  const request = backtestRequestSchema.safeParse(input);
  if (!request.success) throw ApiError.badRequest('INVALID_REQUEST', describeError(request.error));
  try {
    resolveStrategyConfig(request.data.strategy, {
      ...request.data.configOverrides,
      ...(request.data.capital !== undefined ? { initialCapital: request.data.capital } : {}),
    });
  } catch (error) {
    if (error instanceof UnknownStrategyError)
      throw ApiError.badRequest('UNKNOWN_STRATEGY', error.message);
    if (error instanceof StrategyConfigError)
      throw ApiError.badRequest('INVALID_CONFIG', error.message);
    throw error;
  }
  return { request: { ...s, transport }, strategy: s.strategy, input };
}

function runnerTransport(
  transport: StagesTransport,
  stages: StagesConfig,
): NonNullable<BacktestRequestInput['transport']> {
  return transport === 'nats'
    ? { kind: 'nats', natsUrl: stages.natsUrl, requestTimeoutMs: stages.requestTimeoutMs }
    : { kind: 'in-process' };
}
