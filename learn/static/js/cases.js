// Case pages: a print button (shown only when this script runs).
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
  for (const hint of document.querySelectorAll(".print-hint")) {
    hint.hidden = true;
  }
});
