let turn = 0;
let ending = false;

function endTurn(): void {
  turn += 1;
  ending = false;
}

/**
 * The event loop's turn, counted on when a turn in which it was asked for ends (its immediates run). It never
 * changes during a synchronous run of code, so queues use it to tell a burst that arrived within one turn (a stored
 * batch's events, published together), which no consumer could have read yet, from a backlog left from earlier turns.
 */
export function loopTurn(): number {
  if (!ending) {
    ending = true;
    setImmediate(endTurn).unref();
  }
  return turn;
}
