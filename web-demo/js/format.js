// Formatting helpers: money in minor units, durations, countdowns.

const moneyFormats = new Map();

function moneyFormat(currency) {
  let fmt = moneyFormats.get(currency);
  if (!fmt) {
    try {
      fmt = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    } catch {
      fmt = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'XXX' });
    }
    moneyFormats.set(currency, fmt);
  }
  return fmt;
}

// Amounts travel as integer minor units (cents); the currency says how many
// digits the minor unit has (EUR 2, JPY 0, KWD 3).
export function formatMoney(minor, currency) {
  const fmt = moneyFormat(currency);
  const digits = fmt.resolvedOptions().maximumFractionDigits ?? 2;
  return fmt.format(minor / 10 ** digits);
}

// "0.8 s" for retry delays: one decimal under ten seconds.
export function formatSeconds(ms) {
  const s = Math.max(0, ms) / 1000;
  return s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

// "9:58" (or "1:02:03" past an hour) for a countdown.
export function formatClock(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function formatCount(n) {
  return new Intl.NumberFormat().format(n);
}

export function formatTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export function plural(n, one, many) {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
