import { describeCheckoutScenarios } from './checkout-scenarios.ts';
import { rabbitMq } from './transports.ts';

/** CONSISTENCY.md's card-payment saga scenarios, with the real participants, on RabbitMQ when `RABBITMQ_URL` is set. */
describeCheckoutScenarios(rabbitMq());
