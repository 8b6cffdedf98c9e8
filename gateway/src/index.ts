export { buildGatewayApp, type GatewayOptions } from './app.ts';
export { routeTable, type GatewayRoute } from './route-table.ts';
export { GatewayErrorCode } from './error-codes.ts';
