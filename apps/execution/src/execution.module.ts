import { Module, type DynamicModule } from '@nestjs/common';
import type { Tracer } from '@opentelemetry/api';
import type { Fill } from '@tightloop/contracts';
import { CostModel, SimulatedVenueGateway, type CheckpointStore } from '@tightloop/core';
import { RunCache } from '@tightloop/stage-host';
import { ExecutionCommandsConsumer } from './execution-commands.consumer';
import { ExecutionLedger } from './execution.ledger';

export interface ExecutionModuleOptions {
  natsUrl: string;
  queue: string;
  /** Where the ledger keeps executed units; its owner closes it after the service stops. */
  ledgerStore: CheckpointStore<Fill[]>;
  closeLedgerStore?: () => Promise<void>;
  tracer?: Tracer;
}

@Module({})
export class ExecutionModule {
  /** Execution in backtest: the simulated venues fill each unit at the tick's market. */
  static forRoot(options: ExecutionModuleOptions): DynamicModule {
    const venues = new RunCache((config) => new SimulatedVenueGateway(new CostModel(config.costs)));
    const consumer = new ExecutionCommandsConsumer({
      natsUrl: options.natsUrl,
      queue: options.queue,
      ledger: new ExecutionLedger(options.ledgerStore),
      execute: (r) => venues.get(r.runId, r.config).execute(r.unit, r.state, r.market),
      ...(options.tracer && { tracer: options.tracer }),
      ...(options.closeLedgerStore && { afterStop: options.closeLedgerStore }),
    });
    return {
      module: ExecutionModule,
      providers: [{ provide: ExecutionCommandsConsumer, useValue: consumer }],
    };
  }
}
