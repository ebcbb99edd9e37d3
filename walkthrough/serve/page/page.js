// optout-tui's page script: it runs before textual-serve's terminal script.
// Served from this machine; no inline script, so the page's Content-Security-Policy can forbid them.
"use strict";

(function () {
  // textual-serve copies by calling navigator.clipboard.writeText and ignores a refusal, so the app
  // would say "Copied" when nothing was. Say so on the page instead, where the refusal is seen.
  function showNote(text) {
    const note = document.getElementById("copy-note");
    if (!note) return;
    note.textContent = text;
    note.hidden = false;
    clearTimeout(showNote.timer);
    showNote.timer = setTimeout(function () {
      note.hidden = true;
    }, 15000);
  }

  const NOT_HERE =
    "Your browser did not copy that: it only lets pages copy on this computer's own address " +
    "(http://127.0.0.1). Write it down from the screen, or run optout-tui serve without --host.";
  const REFUSED =
    "Your browser did not let optout-tui copy that. Allow copying for this page in your " +
    "browser's site settings, or write it down from the screen.";

  if (!window.isSecureContext || !navigator.clipboard) {
    // Browsers leave navigator.clipboard out on an insecure origin (a network address over http).
    Object.defineProperty(navigator, "clipboard", {
      configurable: true,
      value: {
        writeText: function () {
          showNote(NOT_HERE);
          return Promise.reject(new Error("no clipboard on an insecure origin"));
        },
        readText: function () {
          return Promise.resolve("");
        },
      },
    });
  } else {
    const clipboard = navigator.clipboard;
    const writeText = clipboard.writeText.bind(clipboard);
    clipboard.writeText = function (text) {
      return writeText(text).catch(function (error) {
        showNote(REFUSED);
        throw error;
      });
    };
  }

  function startAgain() {
    const url = new URL(window.location.href);
    url.searchParams.delete("delay");
    window.location.href = url.pathname + url.search;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".restart").forEach(function (button) {
      button.addEventListener("click", startAgain);
    });
    const note = document.getElementById("copy-note");
    note.addEventListener("click", function () {
      note.hidden = true;
    });
  });
})();
