// Answers that arrive out of order: a person who switches the period (or year, or filter) twice
// must see the answer to the last choice, not whichever request happened to finish last.

/**
 * Returns ``begin``: call it when a load starts; the function it returns tells, once the answer
 * is in, whether this load is still the newest (otherwise its answer is dropped).
 */
export function newestOnly(): () => () => boolean {
  let newest = 0
  return () => {
    const mine = ++newest
    return () => mine === newest
  }
}
