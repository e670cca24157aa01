export * from './compose';
export * from './gateway';
export * from './subgraphs';
