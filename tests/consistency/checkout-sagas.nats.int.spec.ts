import { describeCheckoutScenarios } from './checkout-scenarios.ts';
import { natsJetStream } from './transports.ts';

/** CONSISTENCY.md's card-payment saga scenarios, with the real participants, on NATS JetStream when `NATS_URL` is set. */
describeCheckoutScenarios(natsJetStream());
