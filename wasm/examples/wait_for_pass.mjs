// Wait in an event's waiting room, then hold seats: the JavaScript API.
// `client` comes from createClient(); `show` puts a line on the page.
/**
 * @param {import('../seatgate.js').Client} client
 * @param {string} eventId
 * @param {string} zoneId
 * @param {AbortSignal} signal  abort to stop waiting (rejects with the signal's reason)
 * @param {(line: string) => void} show
 */
export async function queueThenReserve(client, eventId, zoneId, signal, show) {
  const turn = await client.waitForPass(eventId, {
    signal,
    deadlineMs: 10 * 60_000,  // default: 30 minutes
    onPosition: ({ position, next_poll_in_ms }) =>
      show(`#${position} in line, asking again in ${(next_poll_in_ms / 1000).toFixed(1)} s`),
    onRetry: ({ reason, delayMs }) => show(`${reason}: trying again in ${delayMs} ms`),
  });
  show(turn.status === 'admitted' ? `Your turn until ${turn.pass_expires_at}` : 'No waiting room');
  // The client remembers the pass: this reserve sends it as Queue-Pass.
  return client.reserve({ eventId, zoneId, quantity: 1 }, { signal });
}
