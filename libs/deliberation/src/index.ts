export * from './quorum.js';
export * from './proposal-lifecycle.js';
export * from './deliberation.errors.js';
export * from './electorate.js';
export * from './proposals.service.js';
export * from './voting.service.js';
export * from './notices.service.js';
export * from './deliberation.module.js';
