// Buttons that fetch the next page ("Load more", "Show more"): while their request runs they say so in
// their label and to screen readers (aria-busy), not only by being disabled, which looks the same as a
// button that does nothing.

/**
 * Marks `button` busy (`on`) or idle: disabled with the label `busyLabel` and `aria-busy="true"` while
 * busy; its own label back, enabled and without `aria-busy` when idle. Marking an idle button idle again,
 * or a busy one busy, changes nothing.
 *
 * @example
 * ```js
 * markBusy(loadMore, true); // "Loading…", disabled, aria-busy="true"
 * markBusy(loadMore, false); // "Load more" again
 * ```
 */
export function markBusy(button, on, busyLabel = "Loading…") {
  if (on) {
    if (button.getAttribute("aria-busy") !== "true") button.dataset.idleLabel = button.textContent;
    button.textContent = busyLabel;
    button.setAttribute("aria-busy", "true");
    button.disabled = true;
  } else {
    if (button.dataset.idleLabel !== undefined) button.textContent = button.dataset.idleLabel;
    delete button.dataset.idleLabel;
    button.removeAttribute("aria-busy");
    button.disabled = false;
  }
}
