import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { BacktestRunsService } from './backtest-runs.service';
import { BACKTEST_RUNS_SERVICE } from './run-controller.tokens';
import { runView } from './run-record.view';

/** Submit backtests and follow them. Every answer is `{ data }` (errors: api-error.filter.ts). */
@Controller('api/v1/backtests')
export class BacktestsHttpController {
  constructor(@Inject(BACKTEST_RUNS_SERVICE) private readonly runs: BacktestRunsService) {}

  /** 202: the run is accepted and queued; its status route tells how it goes. */
  @Post()
  @HttpCode(202)
  async submit(@Body() body: unknown) {
    const run = await this.runs.submit(body);
    return { data: { runId: run.runId, status: run.status } };
  }

  /** Newest first. */
  @Get()
  async list() {
    return { data: (await this.runs.list()).map(runView) };
  }

  @Get(':runId')
  async status(@Param('runId') runId: string) {
    return { data: runView(await this.runs.get(runId)) };
  }
}
