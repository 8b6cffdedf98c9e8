export { registerAdminRoutes, type AdminRouteParts } from './routes.ts';
export { disableCustomer } from './disable-customer.ts';
