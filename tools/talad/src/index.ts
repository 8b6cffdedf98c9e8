/** What other packages (whole-system tests, tools) may use from talad. */
export { topology, type ServiceSpec, type Topology } from './topology.ts';
export { databaseUrl, type Login } from './provision.ts';
