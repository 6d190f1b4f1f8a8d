export * from './stage-service.config';
export * from './stage-request.handler';
export * from './stage-service.bootstrap';
export * from './health.http-controller';
export * from './run-cache';
export * from './tick-chain.relay';
export { requestAttributes } from './stage-tracing.interceptor';
