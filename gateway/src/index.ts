export * from './compose';
export * from './gateway';
export * from './subgraphs';
export * from './supergraph-watch';
export * from './cors';
export * from './trusted-documents';
