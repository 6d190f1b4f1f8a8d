import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { runBacktest } from '@tightloop/runner';
import { ApiErrorFilter } from './api-error.filter';
import { BacktestResultsHttpController } from './backtest-results.http-controller';
import { BacktestRunExecutor, type RunBacktestFn } from './backtest-run.executor';
import { BacktestRunsService } from './backtest-runs.service';
import { BacktestsHttpController } from './backtests.http-controller';
import { HealthHttpController } from './health.http-controller';
import { InterruptedRuns } from './interrupted-runs.recovery';
import type { RunControllerConfig } from './run-controller.config';
import {
  BACKTEST_RUN_EXECUTOR,
  BACKTEST_RUNS_SERVICE,
  INTERRUPTED_RUNS,
  RUN_BACKTEST,
  RUN_CHECKPOINTS,
  RUN_CONTROLLER_CONFIG,
  RUN_CONTROLLER_SHUTDOWN,
  RUN_REGISTRY,
  RUN_RESULTS_STORE,
} from './run-controller.tokens';
import type { RunRegistryConnection } from './run-registry.connection';
import { createRunRegistryConnection, type RunRegistrySource } from './run-registry.provider';
import { RunResultsStore } from './run-results.store';

/** What a deployment or a test may swap; everything else is fixed by the module. */
export interface RunControllerOverrides extends RunRegistrySource {
  /** Tests substitute a controllable run; production runs `runBacktest` in process. */
  runBacktest?: RunBacktestFn;
  /**
   * Called as the app shuts down, after running backtests have finished (their drain is
   * the earlier `beforeApplicationShutdown` phase): the process's telemetry flushes here,
   * because on SIGTERM Nest ends the process as soon as the app has shut down.
   */
  onShutdown?: () => Promise<void>;
}

@Module({})
export class RunControllerModule {
  static forRoot(
    config: RunControllerConfig,
    overrides: RunControllerOverrides = {},
  ): DynamicModule {
    return {
      module: RunControllerModule,
      controllers: [BacktestsHttpController, BacktestResultsHttpController, HealthHttpController],
      providers: [
        { provide: RUN_CONTROLLER_CONFIG, useValue: config },
        { provide: INTERRUPTED_RUNS, useFactory: () => new InterruptedRuns() },
        // One provider for the connection and the port: an alias would run its hooks twice.
        {
          provide: RUN_REGISTRY,
          useFactory: (interrupted: InterruptedRuns) =>
            createRunRegistryConnection(config, overrides, interrupted),
          inject: [INTERRUPTED_RUNS],
        },
        {
          provide: RUN_CHECKPOINTS,
          useFactory: (registry: RunRegistryConnection) => registry.checkpoints,
          inject: [RUN_REGISTRY],
        },
        { provide: RUN_BACKTEST, useValue: overrides.runBacktest ?? runBacktest },
        {
          provide: RUN_CONTROLLER_SHUTDOWN,
          useValue: { onApplicationShutdown: () => overrides.onShutdown?.() },
        },
        { provide: BACKTEST_RUN_EXECUTOR, useClass: BacktestRunExecutor },
        { provide: BACKTEST_RUNS_SERVICE, useClass: BacktestRunsService },
        { provide: RUN_RESULTS_STORE, useClass: RunResultsStore },
        { provide: APP_FILTER, useClass: ApiErrorFilter },
      ],
    };
  }
}
