// What an SDK error or retry means to a person buying tickets.

import { formatSeconds, plural } from './format.js';

const retryReasons = {
  sold_out: 'Held by others',
  seats_taken: 'Your seats are held by another buyer',
  rate_limited: 'Lots of people are buying',
  unavailable: 'The box office is busy',
  idempotency_key_in_use: 'Still finishing your last request',
  network: 'Connection lost',
  timeout: 'No answer yet',
  internal: 'The box office hiccuped',
};

// "Held by others — retrying in 0.8 s, attempt 2 of 5"
export function retryText(info) {
  const reason = retryReasons[info.reason] ??
    (info.status >= 500 ? 'The box office hiccuped' : 'Something got in the way');
  return `${reason} — retrying in ${formatSeconds(info.delayMs)}, attempt ${info.attempt} of ${info.maxAttempts}`;
}

// A sentence for a failed call. `ctx` may carry { zone, event } for detail.
export function errorText(err, ctx = {}) {
  const zone = ctx.zone?.name ? ` in ${ctx.zone.name}` : '';
  // Gave up retrying (deadline or retry budget): explain what kept failing.
  if ((err?.code === 'deadline_exceeded' || err?.code === 'retry_budget_exhausted') && err.cause &&
      err.cause !== 'network' && err.cause !== 'timeout') {
    return errorText({ code: err.cause, retryable: true, message: err.message }, ctx);
  }
  const code = err?.code ?? 'unknown';
  if (code.startsWith('validation_')) return err.message;
  switch (code) {
    case 'sold_out':
      return err.retryable
        ? `Every seat${zone} is held by other buyers right now. Holds that aren't paid for come back — try again in a moment.`
        : `Sold out${zone}. There are no seats left to sell.`;
    case 'user_limit_exceeded':
      return `That would take you over this event's limit of ${plural(ctx.event?.max_per_user ?? 0, 'ticket', 'tickets')} per person.`;
    case 'invalid_quantity':
      return `That many tickets can't be bought in one order (at most ${ctx.event?.max_per_order ?? '?'}).`;
    case 'seats_taken': {
      const seats = err.taken?.length ? seatList(err.taken) : 'One of your seats';
      const one = !err.taken || err.taken.length === 1;
      return `${seats} ${one ? 'was' : 'were'} just taken by someone else. Pick ${one ? 'another seat' : 'other seats'}.`;
    }
    case 'no_adjacent_seats':
      return `There are no ${ctx.quantity ? `${ctx.quantity} ` : ''}seats together left${zone}. ` +
        'Ask for fewer, or pick seats on the map.';
    case 'invalid_seats': return 'Some of those seats do not exist in this part of the venue. Pick again on the map.';
    case 'zone_not_seated': return 'This part of the venue has no numbered seats.';
    case 'event_not_on_sale': return 'This event is not on sale right now.';
    case 'event_not_found': return 'This event does not exist (check the link).';
    case 'zone_not_found': return 'That part of the venue no longer exists. Pick another.';
    case 'reservation_expired': return 'The hold ran out before the payment reached us, so the seats went back on sale. Nothing was charged.';
    case 'reservation_released': return 'These seats were released, so they can no longer be confirmed.';
    case 'reservation_not_found': return 'We could not find that hold.';
    case 'already_confirmed': return 'These tickets are already confirmed.';
    case 'queue_pass_required':
    case 'queue_pass_invalid': return 'Your turn in the waiting room ran out. Rejoining the line…';
    case 'queue_limit_exceeded': return "You're already waiting in too many lines. Leave one and try again.";
    case 'unauthorized': return 'Your session ended. Please log in again.';
    case 'rate_limited':
    case 'unavailable':
    case 'retry_budget_exhausted':
      return 'The box office is overwhelmed right now. Please try again in a few seconds.';
    case 'network': return "We can't reach the box office. Check your connection and try again.";
    case 'timeout':
    case 'deadline_exceeded': return 'The box office took too long to answer. Please try again.';
    case 'cancelled': return 'Stopped.';
    default:
      return err?.message ? `Something went wrong: ${err.message}` : 'Something went wrong. Please try again.';
  }
}

// "A-12", "A-12 and A-13", "A-12, A-13 and B-2"
export function seatList(ids) {
  if (ids.length <= 1) return ids.join('');
  return `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
}
