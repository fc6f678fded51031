export { createApp, type AppOptions } from './app.js';
export { prepareOrdering } from './prepare.js';
export { createInventory, type Inventory } from './libraries/inventory.js';
export type { Actor } from './libraries/access.js';
