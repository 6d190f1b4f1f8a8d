import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { stageRequestPattern, tickChainPattern, type StageRequest } from '@tightloop/contracts';
import { CostModel, createStrategy, decide } from '@tightloop/core';
import {
  handleStageRequest,
  InjectTickChainRelay,
  RunCache,
  type TickChainRelay,
} from '@tightloop/stage-host';

const runs = new RunCache((config) => ({
  strategy: createStrategy(config),
  costs: new CostModel(config.costs),
}));

const decideFor = (r: StageRequest<'strategy.decide'>) => {
  const { strategy, costs } = runs.get(r.runId, r.config);
  return decide(strategy, costs, r);
};

/** Strategy: the tick's instruction units for the run's mode. */
@Controller()
export class StrategyNatsController {
  constructor(@InjectTickChainRelay() private readonly relay: TickChainRelay) {}

  @MessagePattern(stageRequestPattern('strategy.decide'))
  decide(@Payload() payload: unknown) {
    return handleStageRequest('strategy.decide', payload, decideFor);
  }

  @EventPattern(tickChainPattern('strategy.decide'))
  chainedDecide(@Payload() payload: unknown, @Ctx() context: unknown) {
    return this.relay.step('strategy.decide', payload, context, decideFor);
  }
}
