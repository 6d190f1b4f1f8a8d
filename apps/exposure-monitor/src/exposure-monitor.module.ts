import { Module } from '@nestjs/common';
import { ExposureNatsController } from './exposure.nats-controller';

@Module({ controllers: [ExposureNatsController] })
export class ExposureMonitorModule {}
