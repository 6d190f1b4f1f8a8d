export * from './in-memory.bus';
export * from './nats-jetstream.bus';
export * from './subject-match';
export * from './message-bus.contract';
export * from './nats-reconnect.options';
