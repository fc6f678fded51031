export { createApp, type AppOptions, type RegistryOptions } from './app.js';
export { prepareRegistry } from './prepare.js';
