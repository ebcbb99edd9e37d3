"""Keys more than one part of the app names: a screen binds them, and messages tell people to press them."""

VIEW_KEY = "v"  # show the letter or address alone on a plain screen, to select with the mouse
SAVE_KEY = "w"  # save the letter to a file
