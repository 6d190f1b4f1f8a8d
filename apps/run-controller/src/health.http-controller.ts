import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiError } from './api.error';
import { describeError } from './error-message.describer';
import type { RunControllerConfig } from './run-controller.config';
import { RUN_CONTROLLER_CONFIG, RUN_REGISTRY } from './run-controller.tokens';
import type { RunRegistryConnection } from './run-registry.connection';

/**
 * The port has no ping, so readiness asks the registry for a run id that cannot exist
 * (it does not match the run id pattern): one indexed read, which also notices a database
 * that went away after the registry opened.
 */
const PROBE_RUN_ID = 'readiness probe';

@Controller('health')
export class HealthHttpController {
  constructor(
    @Inject(RUN_CONTROLLER_CONFIG) private readonly config: RunControllerConfig,
    @Inject(RUN_REGISTRY) private readonly registry: RunRegistryConnection,
  ) {}

  /** The process answers; nothing else is checked, so a slow store never gets it restarted. */
  @Get('live')
  live() {
    return { data: { status: 'live' } };
  }

  /**
   * Ready when runs can be recorded and their results written: the registry is open,
   * migrated and cleared of runs a previous process left unfinished, and answers.
   */
  @Get('ready')
  async ready() {
    const status = this.registry.status;
    if (!status.ready)
      throw ApiError.unavailable(
        'NOT_READY',
        `run registry (${this.registry.where}) not ready: ${status.problem}`,
      );
    try {
      await this.registry.get(PROBE_RUN_ID);
    } catch (error) {
      throw ApiError.unavailable('NOT_READY', `run registry unusable: ${describeError(error)}`);
    }
    try {
      await access(this.config.resultsDir, constants.W_OK);
    } catch (error) {
      throw ApiError.unavailable(
        'NOT_READY',
        `results directory ${this.config.resultsDir} unusable: ${describeError(error)}`,
      );
    }
    return { data: { status: 'ready' } };
  }
}
