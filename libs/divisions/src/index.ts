export * from './scope.js';
export * from './division.entity.js';
export * from './divisions.service.js';
export * from './divisions.module.js';
export * from './divisions.errors.js';
export * from './views.js';
export * from './routes.js';
