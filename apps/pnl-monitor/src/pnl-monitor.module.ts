import { Module } from '@nestjs/common';
import { PnlNatsController } from './pnl.nats-controller';

@Module({ controllers: [PnlNatsController] })
export class PnlMonitorModule {}
