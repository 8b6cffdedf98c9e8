export { createTestDatabase, testServerUrl, type TestDatabase } from './database.ts';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
