"""Finding and loading every guide the user can see, and the cache that makes it fast.

- `folders`: which files in a folder are guides and shared letters.
- `loading`: the catalogue: bundled guides, then extra folders (which win), one
  bad file never stopping the others.
- `cache`: parsed guides kept between runs, so a warm start parses no YAML.
- `lookup`: the guide a person meant by what they typed (any case, names,
  aliases), and close guesses when nothing matches.

Where the folders are comes from `walkthrough.paths`. Never imports Textual.
"""
