export * from './result.types';
export * from './csv.writer';
export * from './report.html';
export * from './result-bundle.writer';
