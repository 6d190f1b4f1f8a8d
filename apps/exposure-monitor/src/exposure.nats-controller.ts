import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { stageRequestPattern } from '@tightloop/contracts';
import { computeExposure } from '@tightloop/core';
import { handleStageRequest } from '@tightloop/stage-host';

/** Exposure monitor: values and net delta of the positions in the share class. */
@Controller()
export class ExposureNatsController {
  @MessagePattern(stageRequestPattern('exposure.compute'))
  compute(@Payload() payload: unknown) {
    return handleStageRequest('exposure.compute', payload, (r) =>
      computeExposure(r.state, r.market, r.shareClass),
    );
  }
}
