import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { stageRequestPattern, tickChainPattern, type StageRequest } from '@tightloop/contracts';
import { computeExposure } from '@tightloop/core';
import {
  handleStageRequest,
  InjectTickChainRelay,
  type TickChainRelay,
} from '@tightloop/stage-host';

const compute = (r: StageRequest<'exposure.compute'>) =>
  computeExposure(r.state, r.market, r.shareClass);

/** Exposure monitor: values and net delta of the positions in the share class. */
@Controller()
export class ExposureNatsController {
  constructor(@InjectTickChainRelay() private readonly relay: TickChainRelay) {}

  @MessagePattern(stageRequestPattern('exposure.compute'))
  compute(@Payload() payload: unknown) {
    return handleStageRequest('exposure.compute', payload, compute);
  }

  @EventPattern(tickChainPattern('exposure.compute'))
  chainedCompute(@Payload() payload: unknown, @Ctx() context: unknown) {
    return this.relay.step('exposure.compute', payload, context, compute);
  }
}
