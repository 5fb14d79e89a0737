export * from './names.js';
export * from './views.js';
export * from './routes.js';
export * from './openness.errors.js';
export * from './openness.module.js';
export { FINANCE_BOARD_STYLE } from './finance-board.js';
export * from './reminders.service.js';
