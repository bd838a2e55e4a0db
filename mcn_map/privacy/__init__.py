"""Personal data: identifiers, keys, pseudonyms, small-number suppression."""
