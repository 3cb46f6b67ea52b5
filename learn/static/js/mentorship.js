// 师徒帮带 page enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });

  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  // The percentage and note only matter when the mentor sets progress by hand.
  document.querySelectorAll("[data-progress-form]").forEach((form) => {
    const manual = form.querySelector("[data-manual-only]");
    const sync = () => {
      const chosen = form.querySelector("input[name='mode']:checked");
      manual.hidden = !chosen || chosen.value !== "manual";
    };
    form.querySelectorAll("input[name='mode']").forEach((radio) => radio.addEventListener("change", sync));
    sync();
  });
});
