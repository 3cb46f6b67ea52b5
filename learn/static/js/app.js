// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  const menu = document.querySelector("[data-nav]");
  if (menu) {
    const toggle = menu.querySelector(".nav-toggle");
    const setOpen = (open) => {
      menu.classList.toggle("collapsed", !open);
      toggle.setAttribute("aria-expanded", String(open));
    };
    setOpen(false);
    toggle.addEventListener("click", () => setOpen(menu.classList.contains("collapsed")));
  }
});
