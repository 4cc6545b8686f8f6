/* Quick exit: leave the site at once, without leaving this page in the Back history.
 *
 * The control is a plain link to the neutral site (QUICK_EXIT_URL), so it works
 * without JavaScript. With JavaScript, location.replace() swaps the current history
 * entry for the neutral site instead of adding one, and pressing Escape twice within
 * two seconds does the same from anywhere on the page.
 */
(function () {
  "use strict";

  var ESCAPE_WINDOW_MS = 2000;
  var lastEscape = 0;

  function exitUrl() {
    var link = document.querySelector("[data-quick-exit]");
    return link ? link.href : null;
  }

  function quickExit(url) {
    // Hide the page first, so nothing stays on screen while the neutral site loads.
    document.documentElement.hidden = true;
    window.location.replace(url);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-quick-exit]");
    if (!link || event.button !== 0) {
      return;
    }
    event.preventDefault();
    quickExit(link.href);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") {
      return;
    }
    var now = Date.now();
    if (now - lastEscape <= ESCAPE_WINDOW_MS) {
      var url = exitUrl();
      if (url) {
        quickExit(url);
      }
      return;
    }
    lastEscape = now;
  });
})();
