import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { stageRequestPattern } from '@tightloop/contracts';
import { CostModel, SimulatedVenueGateway } from '@tightloop/core';
import { handleStageRequest, RunCache } from '@tightloop/stage-host';

const venues = new RunCache((config) => new SimulatedVenueGateway(new CostModel(config.costs)));

/** Execution in backtest: the simulated venues fill each unit at the tick's market. */
@Controller()
export class ExecutionNatsController {
  @MessagePattern(stageRequestPattern('execution.execute'))
  execute(@Payload() payload: unknown) {
    return handleStageRequest('execution.execute', payload, (r) =>
      venues.get(r.runId, r.config).execute(r.unit, r.state, r.market),
    );
  }
}
