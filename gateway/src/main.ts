import { runService } from '@talad/service';
import { buildGatewayApp } from './app.ts';
import { gatewayConfig, gatewayOptionsFrom } from './config.ts';

await runService({
  name: 'gateway',
  config: gatewayConfig,
  start: async ({ config, logger, onShutdown }) =>
    buildGatewayApp(await gatewayOptionsFrom(config, logger, onShutdown)),
});
