"""The user's record: what they did and when, and every rule about where they stand.

- `store`: the SQLite file (every action committed at once, damaged files set aside).
- `status`: the one home of every progress rule: which steps count, counts, the
  next step, "finished", re-check dates, and the words for each state. The home
  list, the guide and finished screens, `optout-tui progress` and the export all
  ask it; none keeps its own copy.
- `report`: the store joined with the guides as they are now (what `progress` lists).
- `record`: the record to keep, built once (and the JSON format's definition).
- `export`: that record as Markdown, a printable HTML page or JSON, written owner-only.
- `letters`: keeping a letter as copied, and filling the complaint letter from the record.

Waiting for a reply (due dates, overdue, what to do) is a progress rule, in `status`.

A new progress state goes in `status`. Never imports Textual.
"""
