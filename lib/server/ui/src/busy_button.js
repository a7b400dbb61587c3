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

/**
 * Shows why the next page behind `button` failed, right after the button, or (no `error`) clears it. The
 * caller keeps what is listed and leaves the button shown: a click asks for the same page again. The
 * message's testid is the button's plus `-error` (e.g. `load-more-error`).
 *
 * @example
 * ```js
 * showPageError(loadMore, new Error("Cannot reach the tracking server")); // "Could not load more: …"
 * showPageError(loadMore); // cleared once a page loads
 * ```
 */
export function showPageError(button, error) {
  const next = button.nextElementSibling;
  const slot = next?.classList.contains("page-error") ? next : undefined;
  if (!error) return void slot?.remove();
  const box = slot ?? document.createElement("span");
  box.className = "page-error error-box";
  box.setAttribute("role", "alert");
  box.dataset.testid = `${button.dataset.testid ?? "more"}-error`;
  box.textContent = `Could not load more: ${error.message ?? String(error)} (click ${
    button.dataset.idleLabel ?? button.textContent
  } to try again)`;
  if (!slot) button.after(box);
}
