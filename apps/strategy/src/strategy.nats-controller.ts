import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { stageRequestPattern } from '@tightloop/contracts';
import { CostModel, createStrategy, decide } from '@tightloop/core';
import { handleStageRequest, RunCache } from '@tightloop/stage-host';

const runs = new RunCache((config) => ({
  strategy: createStrategy(config),
  costs: new CostModel(config.costs),
}));

/** Strategy: the tick's instruction units for the run's mode. */
@Controller()
export class StrategyNatsController {
  @MessagePattern(stageRequestPattern('strategy.decide'))
  decide(@Payload() payload: unknown) {
    return handleStageRequest('strategy.decide', payload, (r) => {
      const { strategy, costs } = runs.get(r.runId, r.config);
      return decide(strategy, costs, r);
    });
  }
}
