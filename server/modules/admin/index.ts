/** Admin: audit trail and outbox pages' API. */
export { adminRoutes } from './admin.routes.ts';
