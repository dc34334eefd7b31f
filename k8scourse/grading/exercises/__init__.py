"""One module per chapter (ch01 ... ch10) declaring that chapter's exercises and their checks."""
