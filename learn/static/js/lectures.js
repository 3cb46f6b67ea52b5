// Projector page: keep the check-in code and QR current. The page works without
// this file (it shows the code of the moment it was loaded); this just refreshes.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-code-url]");
  if (!box) return;
  const codeEl = box.querySelector("[data-code]");
  const remainingEl = box.querySelector("[data-remaining]");
  const qrEl = box.querySelector("[data-qr]");
  let remaining = Number(remainingEl ? remainingEl.textContent : 0) || 0;

  const refresh = async () => {
    try {
      const response = await fetch(box.dataset.codeUrl, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) return;
      const data = await response.json();
      if (codeEl.textContent !== data.code) {
        codeEl.textContent = data.code;
        if (qrEl) qrEl.src = data.qr;
      }
      remaining = data.remaining;
      if (remainingEl) remainingEl.textContent = String(remaining);
    } catch (error) {
      // network hiccup: keep showing the last code and try again on the next tick
    }
  };

  setInterval(() => {
    remaining -= 1;
    if (remaining <= 0) {
      refresh();
    } else if (remainingEl) {
      remainingEl.textContent = String(remaining);
    }
  }, 1000);
});
