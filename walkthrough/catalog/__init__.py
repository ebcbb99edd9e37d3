"""Finding and loading every guide the user can see, and the cache that makes it fast.

- `folders`: which files in a folder are guides and shared letters.
- `loading`: the catalogue: bundled guides, then extra folders (which win), one
  bad file never stopping the others; guides decoded when first asked for.
- `cache`: the guide cache, one file: a listing per set of folders (what the
  list of guides shows) and every guide, so a warm start decodes none.
- `outline`: the listing's columns (`Rows`): names, difficulties, regions and
  the folded text search compares.
- `recheck`: the checks a guide from the cache goes through again before use.
- `search`: finding guides by name, other name or summary words.
- `lookup`: the guide a person meant by what they typed (any case, names,
  aliases), and close guesses when nothing matches.

Where the folders are comes from `walkthrough.paths`. Never imports Textual.
"""
