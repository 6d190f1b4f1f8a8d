import { Controller, Logger } from '@nestjs/common';
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

const logger = new Logger('strategy');

/** A decision to act is logged; a tick with nothing to do only at debug (every request). */
const decideFor = (r: StageRequest<'strategy.decide'>) => {
  const { strategy, costs } = runs.get(r.runId, r.config);
  const units = decide(strategy, costs, r);
  if (units.length > 0) {
    const ids = units
      .flatMap((u) => (u.kind === 'single' ? [u.instruction] : u.instructions))
      .map((i) => `${i.id} ${i.operation}`)
      .join(', ');
    logger.log(`run ${r.runId} tick ${r.tickIndex}: ${units.length} unit(s) decided: ${ids}`);
  }
  return units;
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
