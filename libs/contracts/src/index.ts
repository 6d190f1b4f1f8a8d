export * from './instrument-key';
export * from './market';
export * from './instruction';
export * from './costs-config';
export * from './strategy-config';
export * from './stage-messages';
export * from './subjects';
export * from './envelope';
