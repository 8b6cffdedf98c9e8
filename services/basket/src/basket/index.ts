export { readBasket, putLine, removeLine, emptyBasket, refreshProduct, markProductGone } from './basket-repository.ts';
export { basketView, type LineRow } from './basket-view.ts';
export { sizeFor } from './size-rule.ts';
export { registerBasketRoutes, type BasketRouteParts } from './routes.ts';
export { subscribeBasketEvents } from './event-handlers.ts';
