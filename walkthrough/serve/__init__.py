"""`optout-tui serve`: the same app in a browser tab, private to the person who started it.

Owns:

- `access.py`: who may talk to the server (the one-time key, the host names it
  answers to, the same-origin rule) and whether the browser's origin may use
  the clipboard. Plain rules, no web library, so they are tested on their own.
- `server.py`: the web server (aiohttp and textual-serve, the optional `[web]`
  extra): the page, its files, the websocket that runs one app per browser
  session, downloads. Imported only by the `serve` command.
- `page/`: the page itself. Everything it loads is served from this machine:
  our page, style and script here, and the terminal script and fonts that ship
  inside textual-serve. It asks no other host for anything.
- `browser_tab.py`: what the app, running inside a browser tab, can ask: is it
  in a browser, may it copy to the browser's clipboard there, and how to hand
  text over as a download instead. Light, so the app may import it.

Each browser session runs `optout-tui app` as a subprocess with the server's
environment, so the progress store, the guide folders and the settings are the
terminal app's own.
"""
