"""Mining a repository's conventions and flagging foreign code that departs from them."""
