export type { Database, Queryable } from './database.js';
export { migrate } from './migrate.js';
export { openDatabase, type DatabaseOptions } from './open.js';
export { dropPostgresSchema } from './postgres.js';
