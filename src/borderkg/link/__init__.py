"""Entity linking: find gazetteer places, Smolensk municipalities and countries in text."""
