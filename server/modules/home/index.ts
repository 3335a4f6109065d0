/** The home page of each role: what there is to do now, gathered from the other modules. */
export { homeRoutes } from './home.routes.ts';
