export * from './audit-entry.js';
export * from './audit-catalog.js';
export * from './audit-chain.js';
export * from './audit.service.js';
export * from './audit.module.js';
export * from './anchors.js';
export * from './audit-batch.js';
