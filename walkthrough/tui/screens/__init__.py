"""One module per screen; the guide and help screens are imported only when first shown."""
