export * from './instrument-key';
export * from './market';
