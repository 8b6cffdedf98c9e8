import { describeCheckoutScenarios } from './checkout-scenarios.ts';
import { postgresLog } from './transports.ts';

/** CONSISTENCY.md's card-payment saga scenarios, with the real participants, on the PostgreSQL message log. */
describeCheckoutScenarios(postgresLog());
