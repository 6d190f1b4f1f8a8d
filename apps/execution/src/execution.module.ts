import { Module } from '@nestjs/common';
import { ExecutionNatsController } from './execution.nats-controller';

@Module({ controllers: [ExecutionNatsController] })
export class ExecutionModule {}
