import type { OrderSummary } from '@talad/contracts-order-history';
import { formatWhen, milestonesOf, TIMELINE_LABELS } from '../order-timeline.ts';

/** Placed → paid → shipped → delivered (or how it ended), then every fact with its time. */
export function OrderTimelineView({ summary }: { summary: OrderSummary }) {
  const milestones = milestonesOf(summary);
  return (
    <section className="timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Order progress</h2>
      <ol className="milestones" data-testid="milestones">
        {milestones.map((milestone) => (
          <li
            key={milestone.name}
            className={`milestone milestone-${milestone.at ? 'done' : 'upcoming'} milestone-${milestone.name}`}
          >
            <span className="milestone-mark" aria-hidden="true">
              {milestone.at ? (milestone.name === 'cancelled' || milestone.name === 'rejected' ? '✗' : '✓') : '○'}
            </span>
            <span className="milestone-label">{milestone.label}</span>
            <span className="muted milestone-at">
              {milestone.at ? <time dateTime={milestone.at}>{formatWhen(milestone.at)}</time> : 'not yet'}
            </span>
          </li>
        ))}
      </ol>
      {summary.shipment && (
        <p>
          Parcel with {summary.shipment.courier}, tracking number{' '}
          <strong data-testid="tracking-number">{summary.shipment.trackingNumber}</strong>
        </p>
      )}
      <details className="timeline-details">
        <summary>Everything that happened</summary>
        <ul data-testid="timeline">
          {summary.timeline.map((entry) => (
            <li key={entry.step}>
              <time dateTime={entry.at}>{formatWhen(entry.at)}</time> · {TIMELINE_LABELS[entry.step]}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
