/* article-archive: small progressive enhancements; every page works without them. */
(function () {
  "use strict";

  /* Close open <details> menus on a click outside them (Datasette's own inline script,
     moved to a file so that our Content-Security-Policy can forbid inline scripts);
     the search help stays open while one reads it. */
  document.addEventListener("click", function (ev) {
    var target = ev.target;
    while (target && target.tagName !== "DETAILS") {
      target = target.parentNode;
    }
    Array.prototype.forEach.call(document.getElementsByTagName("details"), function (d) {
      if (d.open && d !== target && !d.classList.contains("aa-help")) {
        d.open = false;
      }
    });
  });

  /* Submit the search form when its sort menu changes. */
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el && el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.submit();
    }
  });
})();
