import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { stageRequestPattern } from '@tightloop/contracts';
import { updatePnl } from '@tightloop/core';
import { handleStageRequest } from '@tightloop/stage-host';

/** Pnl monitor: balance pnl and its attribution. */
@Controller()
export class PnlNatsController {
  @MessagePattern(stageRequestPattern('pnl.update'))
  update(@Payload() payload: unknown) {
    return handleStageRequest('pnl.update', payload, (r) => updatePnl(r));
  }
}
