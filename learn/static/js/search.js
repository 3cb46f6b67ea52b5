// Case search: on a phone, fold the facet panel away until it is asked for,
// unless filters are already chosen (then the chosen ones stay in view).
(function () {
  var panel = document.querySelector("[data-collapse-on-phone]");
  if (!panel || !window.matchMedia("(max-width: 720px)").matches) return;
  if (!panel.querySelector(".chips")) panel.open = false;
})();
